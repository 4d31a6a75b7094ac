package rle_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/bitmap/bmptest"
	"github.com/rlec/rlec/internal/rle"
)

func TestConformance(t *testing.T) {
	for in, want := range bmptest.ConformanceCases(t) {
		t.Run(filepath.Base(in), func(t *testing.T) {
			f, err := os.Open(in)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			fi, _ := f.Stat()
			bm, err := bitmap.Decode(f, fi.Size())
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
