package write_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/tiff"
	"github.com/rlec/rlec/internal/codec/tiff/write"
	"github.com/rlec/rlec/internal/conformance"
	"github.com/rlec/rlec/internal/rle"
)

// TestConformancePictures: every picture of the conformance data (the
// reference's .rle outputs, of every kind), written as a TIFF each way and
// read back, compresses to the reference's bytes again: rlec decompress
// then rlec compress gives back the file.
func TestConformancePictures(t *testing.T) {
	dir := filepath.Join(conformance.Dir(t), "formats", "expected")
	var files []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".rle") {
			files = append(files, path)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no .rle files in the conformance data")
	}
	for _, path := range files {
		name, _ := filepath.Rel(dir, path)
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			bm, err := rle.Decode(want)
			if err != nil {
				t.Fatal(err)
			}
			for _, comp := range []string{"g4", "packbits", "none"} {
				var buf bytes.Buffer
				enc, err := write.NewEncoder(&buf, bm.Width, bm.Height, codec.WriteOptions{Compression: comp})
				if err != nil {
					t.Fatal(err)
				}
				if err := enc.WriteRows(bm); err != nil {
					t.Fatal(err)
				}
				if err := enc.Close(); err != nil {
					t.Fatal(err)
				}
				back, err := tiff.Decode(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
				if err != nil {
					t.Fatalf("%s: %v", comp, err)
				}
				var got bytes.Buffer
				if err := rle.Encode(&got, back); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want) {
					t.Fatalf("%s: read back to other bytes", comp)
				}
			}
		})
	}
}
