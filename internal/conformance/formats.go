package conformance

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/rle"
)

// Case is a conformance image and the reference's output for it.
type Case struct {
	Rel      string // the image's path below formats/: "png_g1/000.png"
	Path     string // the image
	Expected string // the reference's .rle file
}

// Lossy are the kinds of formats/ in the README's lossy group: JPEG, lossy
// WebP, JPEG in TIFF, animated WebP.
var Lossy = []string{"jpg_*/*", "page_jpeggray/*", "page_jpg_pil444/*", "webp_lossy_*/*", "page_webp_lossy/*", "webp_xtestdata/*lossy*", "tif_jpeg/*", "webp_anim/*"}

// Cases lists the images of formats/ matching patterns (relative to it,
// such as "png_*/*"), but those of the lossy group, with the reference's
// output for each. Images the reference refused, which have no expected
// output, are left out. A pattern that matches no image fails the test.
func Cases(tb testing.TB, patterns ...string) []Case {
	tb.Helper()
	formats := filepath.Join(Dir(tb), "formats")
	var cases []Case
	for _, pattern := range patterns {
		files, _ := filepath.Glob(filepath.Join(formats, pattern))
		if len(files) == 0 {
			tb.Fatalf("no conformance images match formats/%s", pattern)
		}
		for _, f := range files {
			rel, _ := filepath.Rel(formats, f)
			if isLossy(rel) || strings.HasPrefix(rel, "expected"+string(filepath.Separator)) {
				continue
			}
			exp := filepath.Join(formats, "expected", strings.TrimSuffix(rel, filepath.Ext(rel))+".rle")
			if _, err := os.Stat(exp); err != nil {
				continue // the reference refused it
			}
			cases = append(cases, Case{Rel: rel, Path: f, Expected: exp})
		}
	}
	return cases
}

func isLossy(rel string) bool {
	return slices.ContainsFunc(Lossy, func(p string) bool {
		ok, _ := filepath.Match(p, filepath.ToSlash(rel))
		return ok
	})
}

// CheckDecoder decodes each image of the cases patterns select (Cases), and
// checks it against the reference (CheckCases).
func CheckDecoder(t *testing.T, decode func(data []byte) (*bitmap.Bitmap, error), patterns ...string) {
	t.Helper()
	CheckCases(t, Cases(t, patterns...), decode)
}

// CheckCases decodes each image of cases, and checks, in a subtest per
// image, that the .rle file of what decode gives is the reference's, and
// that the reference's decodes to the same pixels.
func CheckCases(t *testing.T, cases []Case, decode func(data []byte) (*bitmap.Bitmap, error)) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Rel, func(t *testing.T) {
			data, err := os.ReadFile(c.Path)
			if err != nil {
				t.Fatal(err)
			}
			bm, err := decode(data)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			var got bytes.Buffer
			if err := rle.Encode(&got, bm); err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(c.Expected)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Fatalf("output differs from %s: got %d bytes, want %d", c.Expected, got.Len(), len(want))
			}
			if back, err := rle.Decode(want); err != nil || !back.Equal(bm) {
				t.Fatalf("decoding %s does not give back the pixels: %v", c.Expected, err)
			}
		})
	}
}
