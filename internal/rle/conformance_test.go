package rle_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/rle"
)

// conformanceDir is the shared golden data, beside the repository.
const conformanceDir = "../../../shared/conformance"

// conformanceCases lists every BMP with a published expected output.
func conformanceCases(t *testing.T) map[string]string {
	t.Helper()
	if _, err := os.Stat(conformanceDir); err != nil {
		t.Skipf("conformance data not found at %s (the shared folder beside the repository): %v", conformanceDir, err)
	}
	cases := map[string]string{}
	for _, set := range []struct{ in, want string }{{"book", "book/expected"}, {"bmpsuite/good", "bmpsuite/expected"}} {
		files, _ := filepath.Glob(filepath.Join(conformanceDir, set.in, "*.bmp"))
		for _, f := range files {
			cases[f] = filepath.Join(conformanceDir, set.want, strings.TrimSuffix(filepath.Base(f), ".bmp")+".rle")
		}
	}
	if len(cases) == 0 {
		t.Fatalf("no BMP files under %s", conformanceDir)
	}
	return cases
}

func TestConformance(t *testing.T) {
	for in, want := range conformanceCases(t) {
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
