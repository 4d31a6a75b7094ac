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
