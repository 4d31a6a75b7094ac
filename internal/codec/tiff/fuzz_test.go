package tiff_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec/tiff"
	"github.com/rlec/rlec/internal/conformance"
	"github.com/rlec/rlec/internal/testkit"
)

// readSome reads an image band by band, at most maxPixels of it, and
// checks that no band has bits set past the image's width.
func readSome(tb testing.TB, data []byte, size int64, maxPixels int) error {
	img, err := tiff.Open(bytes.NewReader(data), size)
	if err != nil {
		return err
	}
	w, h := img.Size()
	if w < 1 || h < 1 || w > bitmap.MaxDimension || h > bitmap.MaxDimension {
		tb.Fatalf("opened an image of %dx%d", w, h)
	}
	band, _ := bitmap.New(w, max(1, min(h, (1<<16)/w)))
	for y := 0; y < h && y*w < maxPixels; y += band.Height {
		b := band.Band(0, min(band.Height, h-y))
		if err := img.ReadRows(b); err != nil {
			return err
		}
		for r := range b.Height {
			if b.Row(r)[b.Stride-1]&^bitmap.TailMask(w) != 0 {
				tb.Fatalf("row %d has bits set past the width", y+r)
			}
		}
	}
	return nil
}

// seeds are small TIFFs of many layouts, made in code.
func seeds() [][]byte {
	var out [][]byte
	for i, k := range pixelKinds {
		for j, c := range compressions {
			if c.comp == cG4 && k.bps != 1 || (i+j)%3 != 0 {
				continue
			}
			sh := shapes[(i+j)%len(shapes)]
			s := spec{
				W: 19, H: 11, Photo: k.photo, SPP: k.spp, BPS: k.bps, Format: k.format, Extra: k.extra,
				Comp: c.comp, RPS: sh.rps, TileW: sh.tileW, TileH: sh.tileH, BigEndian: sh.bigEndian && !k.littleOnly,
				BigTIFF: sh.bigTIFF, Planar: sh.planar && k.spp > 1, Sample: noise(uint64(i), k.bps),
			}
			if k.palette {
				s.ColorMap = colorMap(k.bps)
			}
			out = append(out, build(s))
		}
	}
	return out
}

// smallConformanceFiles are the conformance TIFFs under 4 kB, when the
// data is there.
func smallConformanceFiles(tb testing.TB) [][]byte {
	dir := os.Getenv("RLEC_CONFORMANCE")
	if dir == "" {
		dir = filepath.Join(conformance.Root(tb), "..", "shared", "conformance")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "formats", "tif_*", "*.tif*"))
	var out [][]byte
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && fi.Size() < 4096 {
			if data, err := os.ReadFile(f); err == nil {
				out = append(out, data)
			}
		}
	}
	return out
}

func FuzzDecode(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	for _, s := range smallConformanceFiles(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		readSome(t, data, int64(len(data)), 1<<22)
		readSome(t, data, -1, 1<<20)
	})
}

// TestDamagedConformanceFiles: conformance TIFFs cut short or with bytes
// changed give an error or a sane image, within a few MB.
func TestDamagedConformanceFiles(t *testing.T) {
	dir := conformance.Dir(t)
	var files []string
	for _, pattern := range []string{"formats/tif_*/*.tif*", "formats/page_tif*/*.tif"} {
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		files = append(files, m...)
	}
	r := rand.New(rand.NewPCG(11, 12))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f), func(t *testing.T) {
			var variants [][]byte
			for _, cut := range []int{8, len(data) / 3, len(data) / 2, len(data) - 1} {
				variants = append(variants, data[:cut])
			}
			for range 12 {
				d := bytes.Clone(data)
				for range 1 + r.IntN(4) {
					d[r.IntN(len(d))] ^= byte(1 + r.IntN(255))
				}
				variants = append(variants, d)
			}
			for _, d := range variants {
				grew := testkit.Allocated(func() { readSome(t, d, int64(len(d)), 1<<20) })
				if grew > 8<<20 {
					t.Errorf("a damaged %d-byte file allocated %d bytes", len(d), grew)
				}
			}
		})
	}
}
