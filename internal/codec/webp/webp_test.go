package webp_test

import (
	"bytes"
	"errors"
	"image"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/webp"
	"github.com/rlec/rlec/internal/conformance"
	"github.com/rlec/rlec/internal/convert"
	"github.com/rlec/rlec/internal/testkit"
)

func decodeBytes(data []byte) (*bitmap.Bitmap, error) {
	return webp.Decode(bytes.NewReader(data), int64(len(data)))
}

// randomImage is a w×h image of runs of random colours; alpha, when not
// opaque, is random too, and the colour under it is kept.
func randomImage(r *rand.Rand, w, h int, opaque bool) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	var c [4]byte
	for i := 0; i < len(m.Pix); i += 4 {
		if i == 0 || r.IntN(4) == 0 {
			for j := range c {
				c[j] = byte(r.IntN(256))
			}
			if opaque {
				c[3] = 0xff
			}
		}
		copy(m.Pix[i:], c[:])
	}
	return m
}

// expect converts m as the reference converts RGB and RGBA: luma, alpha
// ignored, dithered.
func expect(t *testing.T, m *image.NRGBA) *bitmap.Bitmap {
	t.Helper()
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	c, err := convert.New(convert.RGBA, w, nil)
	if err != nil {
		t.Fatal(err)
	}
	bm, _ := bitmap.New(w, h)
	for y := range h {
		c.Row(bm.Row(y), m.Pix[y*m.Stride:])
	}
	return bm
}

// TestLossless: lossless images made here, plain and in a VP8X file with
// other chunks, opaque and with alpha, read as the reference reads them.
func TestLossless(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, size := range [][2]int{{1, 1}, {7, 3}, {64, 2}, {65, 9}, {300, 17}} {
		for _, opaque := range []bool{true, false} {
			m := randomImage(r, size[0], size[1], opaque)
			want := expect(t, m)
			bits := vp8l(m)
			var flags byte
			if !opaque {
				flags = 0x10
			}
			files := map[string][]byte{
				"VP8L": riff(riffChunk("VP8L", bits)),
				"VP8X": riff(vp8x(flags|0x20, size[0], size[1]), riffChunk("ICCP", []byte("not a profile")), riffChunk("VP8L", bits), riffChunk("EXIF", []byte("x"))),
			}
			for name, data := range files {
				got, err := decodeBytes(data)
				if err != nil {
					t.Fatalf("%s %dx%d opaque=%v: %v", name, size[0], size[1], opaque, err)
				}
				if !got.Equal(want) {
					t.Fatalf("%s %dx%d opaque=%v: pixels differ", name, size[0], size[1], opaque)
				}
			}
		}
	}
}

// TestBitmapRoundTrip: random bitmaps as black and white lossless WebPs
// read back to the same bits.
func TestBitmapRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, w := range []int{1, 8, 63, 64, 65, 200} {
		h := 1 + r.IntN(9)
		m := image.NewNRGBA(image.Rect(0, 0, w, h))
		bm, _ := bitmap.New(w, h)
		for y := range h {
			for x := range w {
				white := r.IntN(2) == 1
				bm.Set(x, y, white)
				v := byte(0)
				if white {
					v = 0xff
				}
				copy(m.Pix[m.PixOffset(x, y):], []byte{v, v, v, 0xff})
			}
		}
		got, err := decodeBytes(riff(riffChunk("VP8L", vp8l(m))))
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(bm) {
			t.Fatalf("w=%d: bits differ", w)
		}
	}
}

// TestNotReadYet: lossy and animated WebPs are recognised and refused with
// their own message.
func TestNotReadYet(t *testing.T) {
	lossy := riffChunk("VP8 ", make([]byte, 30))
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"VP8", riff(lossy), webp.ErrLossy},
		{"VP8X with alpha", riff(vp8x(0x10, 4, 4), riffChunk("ALPH", []byte{0}), lossy), webp.ErrLossy},
		{"VP8X lossy", riff(vp8x(0, 4, 4), lossy), webp.ErrLossy},
		{"animated", riff(vp8x(0x02, 4, 4), riffChunk("ANIM", make([]byte, 6)), riffChunk("ANMF", make([]byte, 30))), webp.ErrAnimated},
	}
	for _, tt := range tests {
		if _, err := decodeBytes(tt.data); !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
	}
	for pattern, want := range map[string]error{
		"formats/webp_lossy_*/*":         webp.ErrLossy,
		"formats/page_webp_lossy/*":      webp.ErrLossy,
		"formats/webp_xtestdata/*lossy*": webp.ErrLossy,
		"formats/webp_anim/*":            webp.ErrAnimated,
	} {
		for _, f := range conformance.Files(t, pattern) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = codec.Open(bytes.NewReader(data), int64(len(data)))
			if !errors.Is(err, want) {
				t.Errorf("%s: got %v, want %v", filepath.Base(f), err, want)
			}
		}
	}
}

// TestRefusals: broken and hostile files give a clear error, with little
// memory.
func TestRefusals(t *testing.T) {
	m := randomImage(rand.New(rand.NewPCG(5, 6)), 9, 4, true)
	bits := vp8l(m)
	good := riff(riffChunk("VP8L", bits))
	huge := bytes.Clone(bits)
	huge[1], huge[2], huge[3], huge[4] = 0xff, 0xff, 0xff, 0x0f // 16384x16384
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"not WebP", []byte("RIFF\x04\x00\x00\x00WAVE"), "not a WebP"},
		{"truncated", good[:len(good)-5], "truncated"},
		{"truncated header", good[:22], "truncated"},
		{"no image chunk", riff(), "no image chunk"},
		{"unknown first chunk", riff(riffChunk("JUNK", nil), riffChunk("VP8L", bits)), "first chunk"},
		{"bad signature", riff(riffChunk("VP8L", append([]byte{0x2e}, bits[1:]...))), "signature"},
		{"canvas mismatch", riff(vp8x(0, 10, 4), riffChunk("VP8L", bits)), "canvas"},
		{"huge image in a small file", riff(riffChunk("VP8L", huge)), "refused"},
		{"bad bit stream", riff(riffChunk("VP8L", append(bits[:5:5], 0xff, 0xff, 0xff))), "vp8l"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testkit.Refuses(t, func(d []byte) error { _, err := decodeBytes(d); return err }, tt.data, tt.want, 2<<20)
		})
	}
}

// TestDamagedConformance: truncations and flipped bytes of the lossless
// conformance images never panic and stay within what their size allows.
func TestDamagedConformance(t *testing.T) {
	files := conformance.Files(t, "formats/webp_lossless_*/*")
	files = append(files, conformance.Files(t, "formats/webp_xtestdata/*lossless*")...)
	r := rand.New(rand.NewPCG(7, 8))
	for _, f := range files {
		good, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(good) > 64<<10 {
			continue // the large ones take long and teach nothing more
		}
		variants := [][]byte{good[:0], good[:12], good[:20], good[:25], good[:len(good)/2], good[:len(good)-1]}
		for range 20 {
			d := bytes.Clone(good)
			d[r.IntN(len(d))] ^= byte(1 + r.IntN(255))
			variants = append(variants, d)
		}
		for _, d := range variants {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			decodeBytes(d) // must not panic
			runtime.ReadMemStats(&after)
			// The decoder's image (4 bytes a pixel) of at most 16 Mpixel, or
			// 1024 pixels a byte of the file.
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 10*4*max(1<<24, 1024*uint64(len(d))) {
				t.Errorf("%s damaged: a %d-byte file allocated %d bytes", filepath.Base(f), len(d), grew)
			}
		}
	}
}

// FuzzDecode: the reader never panics, and what it accepts is a real
// image.
func FuzzDecode(f *testing.F) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, opaque := range []bool{true, false} {
		m := randomImage(r, 5, 3, opaque)
		f.Add(riff(riffChunk("VP8L", vp8l(m))))
		f.Add(riff(vp8x(0x10, 5, 3), riffChunk("VP8L", vp8l(m))))
	}
	f.Add(riff(vp8x(0x02, 4, 4), riffChunk("ANIM", make([]byte, 6))))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := webp.Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		w, h := img.Size()
		if w*h > 1<<20 {
			return // a large image claimed in a few bytes: legitimate, but slow
		}
		bm, _ := bitmap.New(w, h)
		if img.ReadRows(bm) == nil && bm.Row(h - 1)[bm.Stride-1]&^bitmap.TailMask(w) != 0 {
			t.Fatal("padding bits set")
		}
	})
}
