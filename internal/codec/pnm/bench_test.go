package pnm_test

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/pnm"
)

// benchPage is the raw PBM the benchmarks read: $RLEC_BENCH_PBM when set
// (gs -sDEVICE=pbmraw -r660 renders a 40-Mpixel page), else a page of that
// size made here, rows of black runs on white.
func benchPage(b *testing.B) []byte {
	b.Helper()
	if path := os.Getenv("RLEC_BENCH_PBM"); path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		return data
	}
	const w, h = 5610, 7260
	r := rand.New(rand.NewPCG(1, 1))
	bm, _ := bitmap.New(w, h)
	for y := range h {
		row := bm.Row(y)
		for i := range row {
			row[i] = ^uint64(0)
		}
		row[len(row)-1] &= bitmap.TailMask(w)
		if y%40 < 25 { // a line of text
			for x := r.IntN(50); x < w-20; x += 3 + r.IntN(40) {
				for i := range r.IntN(6) {
					bm.Set(x+i, y, false)
				}
			}
		}
	}
	var buf bytes.Buffer
	e, _ := pnm.NewEncoder(&buf, w, h, codec.WriteOptions{})
	e.WriteRows(bm)
	return buf.Bytes()
}

// BenchmarkDecodeP4 reads a raw PBM page into the bitset, from memory.
func BenchmarkDecodeP4(b *testing.B) {
	data := benchPage(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := pnm.Decode(bytes.NewReader(data), int64(len(data))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadRowsAtP4 reads a raw PBM page band by band into a reused
// band of half a million pixels, as rlec's strategies do.
func BenchmarkReadRowsAtP4(b *testing.B) {
	data := benchPage(b)
	img, err := pnm.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	at := img.(codec.RowsAt)
	width, height := img.Size()
	band, _ := bitmap.New(width, max(1, (1<<19)/width))
	var buf []byte
	b.SetBytes(bitmap.PackedSize(width, height))
	for b.Loop() {
		for y := 0; y < height; y += band.Height {
			if buf, err = at.ReadRowsAt(band.Band(0, min(band.Height, height-y)), y, buf); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkEncodeP4 writes the bitset as a raw PBM.
func BenchmarkEncodeP4(b *testing.B) {
	data := benchPage(b)
	bm, err := pnm.Decode(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(bitmap.PackedSize(bm.Width, bm.Height))
	for b.Loop() {
		e, _ := pnm.NewEncoder(io.Discard, bm.Width, bm.Height, codec.WriteOptions{})
		if err := e.WriteRows(bm); err != nil {
			b.Fatal(err)
		}
		e.Close()
	}
}
