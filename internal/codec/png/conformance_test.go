package png_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/codec/png"
	"github.com/rlec/rlec/internal/conformance"
	"github.com/rlec/rlec/internal/rle"
)

// conformanceKinds are the shared data's PNG kinds.
var conformanceKinds = []string{"png_*", "page_png*"}

// conformanceFiles maps every conformance PNG to its expected output, or
// to "" when the reference refused it.
func conformanceFiles(t testing.TB) map[string]string {
	dir := conformance.Dir(t)
	files := map[string]string{}
	for _, kind := range conformanceKinds {
		for _, f := range conformance.Files(t, filepath.Join("formats", kind, "*.png")) {
			rel, _ := filepath.Rel(filepath.Join(dir, "formats"), f)
			want := filepath.Join(dir, "formats", "expected", strings.TrimSuffix(rel, ".png")+".rle")
			if _, err := os.Stat(want); err != nil {
				want = ""
			}
			files[f] = want
		}
	}
	return files
}

// TestConformance: every conformance PNG with an expected output gives
// exactly the reference's bytes; those the reference refused are read
// without a panic, to an error or an image.
func TestConformance(t *testing.T) {
	matched := map[string]int{}
	for in, want := range conformanceFiles(t) {
		kind := filepath.Base(filepath.Dir(in))
		t.Run(kind+"/"+filepath.Base(in), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			bm, err := png.Decode(bytes.NewReader(data), int64(len(data)))
			if want == "" {
				t.Logf("no expected output (the reference refused it); rlec gives error %v", err)
				return
			}
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
				back, _ := rle.Decode(exp)
				diff := -1
				if back != nil && back.Width == bm.Width && back.Height == bm.Height {
					diff = 0
					for y := range bm.Height {
						for x := range bm.Width {
							if back.At(x, y) != bm.At(x, y) {
								diff++
							}
						}
					}
				}
				t.Fatalf("output differs from %s: got %d bytes, want %d; %d pixels differ", want, got.Len(), len(exp), diff)
			}
			matched[kind]++
		})
	}
	for kind, n := range matched {
		t.Logf("%s: %d files match", kind, n)
	}
}
