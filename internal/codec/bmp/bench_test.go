package bmp_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/bmp"
	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
)

// BenchmarkDecode1Bit reads a 1-bit BMP into the bitset, from memory.
func BenchmarkDecode1Bit(b *testing.B) {
	_, data := bmptest.BenchPage(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := bmp.Decode(bytes.NewReader(data), int64(len(data))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeBMP writes the bitset as a 1-bit BMP.
func BenchmarkEncodeBMP(b *testing.B) {
	_, data := bmptest.BenchPage(b)
	bm, err := bmp.Decode(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := bmp.Encode(io.Discard, bm); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadRowsAt reads a 1-bit BMP band by band into a reused band of
// half a million pixels, as the strategies do, from memory.
func BenchmarkReadRowsAt(b *testing.B) {
	_, data := bmptest.BenchPage(b)
	img, err := bmp.Open(bytes.NewReader(data), int64(len(data)))
	f, ok := img.(codec.RowsAt)
	if err != nil || !ok {
		b.Fatalf("not a 1-bit page: %v", err)
	}
	width, height := img.Size()
	band, _ := bitmap.New(width, max(1, (1<<19)/width))
	var buf []byte
	b.SetBytes(bitmap.PackedSize(width, height))
	for b.Loop() {
		for y := 0; y < height; y += band.Height {
			if buf, err = f.ReadRowsAt(band.Band(0, min(band.Height, height-y)), y, buf); err != nil {
				b.Fatal(err)
			}
		}
	}
}
