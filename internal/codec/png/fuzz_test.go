package png_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec/png"
	"github.com/rlec/rlec/internal/conformance"
)

// FuzzDecode: any input gives an error or an image, never a panic or a
// hang, read as a file or as a stream. Seeds: every colour type and depth,
// interlaced and not, the damaged and unusual files of TestPillowCases, and
// the small conformance files when the shared data is there.
func FuzzDecode(f *testing.F) {
	r := rand.New(rand.NewPCG(19, 20))
	for _, m := range modes {
		for _, interlaced := range []bool{false, true} {
			im := randomImage(r, 1+r.IntN(20), 1+r.IntN(12), m.depth, m.ctype, 1+r.IntN(256))
			f.Add(im.file(interlaced, func(i int) byte { return byte(i % 5) }))
		}
	}
	for _, c := range pillowCases() {
		// Not the text chunks that inflate to a megabyte: the fuzzer
		// would spend its time minimising their mutants.
		if len(c.data) < 4096 && !strings.Contains(c.name, "MiB") {
			f.Add(c.data)
		}
	}
	if conformanceAvailable(f) {
		for in := range conformanceFiles(f) {
			if data, err := os.ReadFile(in); err == nil && len(data) < 8192 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, size := range []int64{int64(len(data)), -1} {
			img, err := png.Open(bytes.NewReader(data), size)
			if err != nil {
				continue
			}
			w, h := img.Size()
			if w < 1 || h < 1 || w > bitmap.MaxDimension || h > bitmap.MaxDimension {
				t.Fatalf("size %dx%d", w, h)
			}
			// A few million pixels, in bands: a small file may claim a
			// huge image whose data ends early and cleanly, which reads
			// as zero rows.
			band, _ := bitmap.New(w, max(1, min(h, 4096/w)))
			for y := 0; y < h && y*w < 1<<22; y += band.Height {
				b := band.Band(0, min(band.Height, h-y))
				if err := img.ReadRows(b); err != nil {
					break
				}
				for i := range b.Height {
					if row := b.Row(i); row[len(row)-1]&^bitmap.TailMask(w) != 0 {
						t.Fatalf("row %d has bits past the width", y+i)
					}
				}
			}
		}
	})
}

// conformanceAvailable reports whether the shared conformance data is
// where conformance.Dir looks for it, without skipping the test when it
// is not.
func conformanceAvailable(tb testing.TB) bool {
	dir := os.Getenv("RLEC_CONFORMANCE")
	if dir == "" {
		dir = filepath.Join(conformance.Root(tb), "..", "shared", "conformance")
	}
	_, err := os.Stat(dir)
	return err == nil
}
