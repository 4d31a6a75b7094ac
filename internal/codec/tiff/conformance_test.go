package tiff_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/codec/tiff"
	"github.com/rlec/rlec/internal/conformance"
	"github.com/rlec/rlec/internal/rle"
)

// tiffKinds are the conformance kinds of TIFF files whose pixels are
// lossless: every tif_* kind but tif_jpeg, and the page_tif* pages.
func tiffKinds(t *testing.T) []string {
	dir := conformance.Dir(t)
	var kinds []string
	for _, pattern := range []string{"formats/tif_*", "formats/page_tif*"} {
		matches, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, m := range matches {
			if k := filepath.Base(m); k != "tif_jpeg" {
				kinds = append(kinds, k)
			}
		}
	}
	if len(kinds) == 0 {
		t.Fatal("no TIFF kinds in the conformance data")
	}
	return kinds
}

// TestConformance: every conformance TIFF gives the reference's bytes, and
// the reference's file decodes to the same pixels.
func TestConformance(t *testing.T) {
	dir := conformance.Dir(t)
	for _, kind := range tiffKinds(t) {
		t.Run(kind, func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join(dir, "formats", kind, "*.tif*"))
			if len(files) == 0 {
				t.Fatalf("no files in %s", kind)
			}
			for _, in := range files {
				name := filepath.Base(in)
				want := filepath.Join(dir, "formats", "expected", kind, strings.TrimSuffix(name, filepath.Ext(name))+".rle")
				t.Run(name, func(t *testing.T) { checkConformance(t, in, want) })
			}
		})
	}
}

func checkConformance(t *testing.T, in, want string) {
	exp, err := os.ReadFile(want)
	if err != nil {
		t.Fatalf("no expected output: %v", err)
	}
	f, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	bm, err := tiff.Decode(f, fi.Size())
	if err != nil {
		if strings.Contains(err.Error(), "ccitt: not implemented") {
			t.Skipf("waits on package ccitt: %v", err)
		}
		t.Fatalf("decode: %v", err)
	}
	var got bytes.Buffer
	if err := rle.Encode(&got, bm); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), exp) {
		back, err := rle.Decode(exp)
		if err != nil {
			t.Fatalf("output differs from %s, which does not decode: %v", want, err)
		}
		diff := 0
		for y := range min(back.Height, bm.Height) {
			for x := range min(back.Width, bm.Width) {
				if back.At(x, y) != bm.At(x, y) {
					diff++
				}
			}
		}
		t.Fatalf("output differs from %s: got %dx%d, want %dx%d, %d pixels differ", want, bm.Width, bm.Height, back.Width, back.Height, diff)
	}
}

// TestJPEGRefused: the JPEG-compressed conformance files, YCbCr all of
// them, are refused for their compression.
func TestJPEGRefused(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(conformance.Dir(t), "formats", "tif_jpeg", "*.tif*"))
	if len(files) == 0 {
		t.Fatal("no tif_jpeg files")
	}
	for _, in := range files {
		t.Run(filepath.Base(in), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			_, err = tiff.Open(bytes.NewReader(data), int64(len(data)))
			if err == nil || err.Error() != "JPEG-compressed TIFF is not read yet" {
				t.Fatalf("got %v, want the JPEG refusal", err)
			}
		})
	}
}
