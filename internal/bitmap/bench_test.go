package bitmap_test

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
)

func benchFile(b *testing.B) []byte {
	b.Helper()
	path := os.Getenv("RLEC_BENCH_PAGE")
	if path == "" {
		path = "../../testdata/sample.bmp"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkDecode1Bit reads a 1-bit BMP into the bitset, from memory.
func BenchmarkDecode1Bit(b *testing.B) {
	data := benchFile(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := bitmap.Decode(bytes.NewReader(data), int64(len(data))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeBMP writes the bitset as a 1-bit BMP.
func BenchmarkEncodeBMP(b *testing.B) {
	data := benchFile(b)
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
