package bitmap_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/bitmap/bmptest"
)

// BenchmarkDecode1Bit reads a 1-bit BMP into the bitset, from memory.
func BenchmarkDecode1Bit(b *testing.B) {
	_, data := bmptest.BenchPage(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := bitmap.Decode(bytes.NewReader(data), int64(len(data))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeBMP writes the bitset as a 1-bit BMP.
func BenchmarkEncodeBMP(b *testing.B) {
	_, data := bmptest.BenchPage(b)
	bm, err := bitmap.Decode(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := bitmap.Encode(io.Discard, bm); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadRows reads a 1-bit BMP band by band into a reused band of
// half a million pixels, as the strategies do, from memory.
func BenchmarkLoadRows(b *testing.B) {
	_, data := bmptest.BenchPage(b)
	f, err := bitmap.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil || !f.Banded() {
		b.Fatalf("not a 1-bit page: %v", err)
	}
	band, _ := bitmap.New(f.Width, max(1, (1<<19)/f.Width))
	var buf []byte
	b.SetBytes(bitmap.PackedSize(f.Width, f.Height))
	for b.Loop() {
		for y := 0; y < f.Height; y += band.Height {
			if buf, err = f.LoadRows(band.Band(0, min(band.Height, f.Height-y)), y, buf); err != nil {
				b.Fatal(err)
			}
		}
	}
}
