package bmp_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/rlec/rlec/internal/codec/bmp"
	"github.com/rlec/rlec/internal/conformance"
	"github.com/rlec/rlec/internal/rle"
)

// TestConformance: every conformance BMP (the book's and the BMP Suite's
// good files) gives the reference's bytes, and the reference's file decodes
// to the same pixels.
func TestConformance(t *testing.T) {
	for in, want := range conformance.BMPCases(t) {
		t.Run(filepath.Base(in), func(t *testing.T) {
			f, err := os.Open(in)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			fi, _ := f.Stat()
			bm, err := bmp.Decode(f, fi.Size())
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			var got bytes.Buffer
			if err := rle.Encode(&got, bm); err != nil {
				t.Fatal(err)
			}
			exp, err := os.ReadFile(want)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), exp) {
				t.Fatalf("output differs from %s: got %d bytes, want %d", want, got.Len(), len(exp))
			}
			back, err := rle.Decode(exp)
			if err != nil {
				t.Fatalf("decoding the expected file: %v", err)
			}
			if !back.Equal(bm) {
				t.Fatalf("decoding %s does not give back the pixels", want)
			}
		})
	}
}
