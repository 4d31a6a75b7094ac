//go:build linux

package strategy

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/rle"
)

// mappedThenCut maps a .rle file of many pages, then cuts the file short
// after its first page, as another program might while rlec reads it:
// reading the mapping past that page then faults. (Inside the page, the
// bytes past the new end read as zeros.)
func mappedThenCut(t *testing.T) []byte {
	t.Helper()
	bm, err := bitmap.New(1000, 200)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for y := range bm.Height {
		for x := range bm.Width {
			bm.Set(x, y, r.IntN(2) == 0)
		}
	}
	var file bytes.Buffer
	if err := rle.Encode(&file, bm); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "in.rle")
	if err := os.WriteFile(path, file.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	in := &fileio.Input{ReaderAt: f, Size: int64(file.Len())}
	data, release, err := in.Bytes(new(workspace).input, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(release)
	if len(data) < 16<<10 {
		t.Fatalf("the test file is %d bytes; it must span several pages", len(data))
	}
	if err := os.Truncate(path, int64(os.Getpagesize())); err != nil {
		t.Fatal(err)
	}
	return data
}

// TestMappedInputCutShort: a mapped input cut short while it is decoded is
// an error naming the input, under every way of decoding, not a crash.
func TestMappedInputCutShort(t *testing.T) {
	out, err := os.Create(filepath.Join(t.TempDir(), "out.bmp"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	decoders := map[string]func(data []byte) error{
		"scan":          func(data []byte) error { _, err := rle.Scan(data); return err },
		"serial":        func(data []byte) error { return decodeSerial(context.Background(), data, bmpTarget(), out) },
		"serial stream": func(data []byte) error { return decodeSerial(context.Background(), data, bmpTarget(), io.Discard) },
		"pool":          func(data []byte) error { return decodeBlocks(context.Background(), data, bmpTarget(), out, 2) },
	}
	for name, decode := range decoders {
		t.Run(name, func(t *testing.T) {
			data := mappedThenCut(t)
			err := guardFaults(data, func() error { return decode(data) })
			if !errors.Is(err, fileio.ErrInputFault) || !errors.As(err, new(inputError)) {
				t.Fatalf("got %v, want an inputError of %v", err, fileio.ErrInputFault)
			}
		})
	}
}

func bmpTarget() target { return target{format: codec.Writer("bmp")} }
