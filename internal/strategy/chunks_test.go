package strategy

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/bmp"
	"github.com/rlec/rlec/internal/rle"
)

// memFile is a file in memory, written at offsets by any goroutine.
type memFile struct {
	mu     sync.Mutex
	data   []byte
	writes int
}

func (f *memFile) WriteAt(p []byte, off int64) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.data = append(f.data, make([]byte, max(0, int(off)+len(p)-len(f.data)))...)
	copy(f.data[off:], p)
	f.writes++
	return len(p), nil
}

// targets are the formats written in chunks, their rows at fixed places:
// BMP bottom-up, PBM top-down and inverted.
var targets = []string{"bmp", "pbm"}

// encodeAs is the file the format's own writer makes of bm.
func encodeAs(t testing.TB, format string, bm *bitmap.Bitmap) []byte {
	t.Helper()
	var buf bytes.Buffer
	if format == "bmp" {
		if err := bmp.Encode(&buf, bm); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	enc, err := codec.Writer(format).NewEncoder(&buf, bm.Width, bm.Height, codec.WriteOptions{})
	if err == nil {
		err = enc.WriteRows(bm)
	}
	if err == nil {
		err = enc.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeInChunks decodes data into a file of the format in chunks of the
// given size, with the given number of goroutines, as decompression does:
// split for more than one.
func writeInChunks(data []byte, format string, chunk int64, workers int) (*memFile, *layoutChunks, error) {
	dec, err := rle.NewDecoder(data)
	if err != nil {
		return nil, nil, err
	}
	h := dec.Header()
	layout, err := codec.Writer(format).Layout(h.Width, h.Height, codec.WriteOptions{})
	if err != nil {
		return nil, nil, err
	}
	f := &memFile{}
	chunks := newLayoutChunks(dec, layout, chunk, workers > 1)
	var g errgroup.Group
	for range workers {
		g.Go(func() error {
			return writeChunks(context.Background(), chunks, newChunkWriter(f, chunks, new(workspace)))
		})
	}
	err = g.Wait()
	if err == nil {
		err = chunks.finish()
	}
	return f, chunks, firstFault(data, err)
}

// TestChunks: a BMP or a PBM written in chunks of any size, by one
// goroutine or several, is the file the format's writer makes, one write
// per chunk, whichever rows straddle the chunks' edges; a damaged file is
// refused with its first fault.
func TestChunks(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 300 {
		w, h := 1+r.IntN(300), 1+r.IntN(40)
		bm, _ := bitmap.New(w, h)
		density := 1 + r.IntN(8)
		for y := range h {
			blank := r.IntN(3) == 0
			for x := range w {
				bm.Set(x, y, blank || r.IntN(density) != 0)
			}
		}
		var data bytes.Buffer
		if err := rle.Encode(&data, bm); err != nil {
			t.Fatal(err)
		}
		for _, format := range targets {
			want := encodeAs(t, format, bm)
			stride := int64(bmp.Stride(w))
			for _, chunk := range []int64{1, stride, stride + 1, 64, 100, 4096, stride + r.Int64N(3*stride+200), 1 << 20} {
				for _, workers := range []int{1, 3} {
					f, chunks, err := writeInChunks(data.Bytes(), format, chunk, workers)
					name := fmt.Sprintf("%s %dx%d in chunks of %d (%d) by %d", format, w, h, chunk, chunks.chunk, workers)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					if !bytes.Equal(f.data, want) {
						t.Fatalf("%s: the file differs from the writer's", name)
					}
					if n := int((chunks.size + chunks.chunk - 1) / chunks.chunk); f.writes != n || chunks.count() != n {
						t.Fatalf("%s: %d writes, want %d", name, f.writes, n)
					}
				}
			}
		}
		if data.Len() == rle.HeaderSize {
			continue
		}
		bad := bytes.Clone(data.Bytes())
		bad[rle.HeaderSize+r.IntN(len(bad)-rle.HeaderSize)] ^= byte(1 + r.IntN(255))
		_, first := rle.Scan(bad)
		for _, chunk := range []int64{1, 100, 1 << 20} {
			for _, workers := range []int{1, 3} {
				_, _, err := writeInChunks(bad, targets[workers%2], chunk, workers)
				if fmt.Sprint(err) != fmt.Sprint(inputErrorOrNil(first)) {
					t.Fatalf("%dx%d damaged, in chunks of %d by %d: got %v, want %v", w, h, chunk, workers, err, first)
				}
			}
		}
	}
}

// inputErrorOrNil is err as decompression reports a fault in its input.
func inputErrorOrNil(err error) error {
	if err == nil {
		return nil
	}
	return inputError{err}
}
