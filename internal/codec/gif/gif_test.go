package gif_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	stdgif "image/gif"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec/gif"
	"github.com/rlec/rlec/internal/conformance"
	"github.com/rlec/rlec/internal/convert"
	"github.com/rlec/rlec/internal/testkit"
)

func decodeBytes(data []byte) (*bitmap.Bitmap, error) {
	return gif.Decode(bytes.NewReader(data), int64(len(data)))
}

var (
	black = color.RGBA{A: 0xff}
	white = color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	red   = color.RGBA{R: 0xff, A: 0xff}
	grey  = color.RGBA{R: 200, G: 200, B: 200, A: 0xff}
)

// ramp is the grey palette (i, i, i) of n entries, which makes a frame L.
func ramp(n int) []color.RGBA {
	p := make([]color.RGBA, n)
	for i := range p {
		p[i] = color.RGBA{R: uint8(i), G: uint8(i), B: uint8(i), A: 0xff}
	}
	return p
}

func noise(r *rand.Rand, n, colours int) []int {
	px := make([]int, n)
	for i := range px {
		px[i] = r.IntN(colours)
	}
	return px
}

// expect computes, independently of the reader, what the reference makes
// of a GIF's first frame: the screen, grown to hold the frame, filled with
// fill, the frame drawn on it, then converted by palette (mode P) or as
// grey levels (mode L, palette nil).
func expect(t *testing.T, width, height int, fill int, f frameSpec, palette []color.RGBA) *bitmap.Bitmap {
	t.Helper()
	width, height = max(width, f.x+f.w), max(height, f.y+f.h)
	mode := convert.P
	if palette == nil {
		mode = convert.L
	}
	c, err := convert.New(mode, width, palette)
	if err != nil {
		t.Fatal(err)
	}
	bm, _ := bitmap.New(width, height)
	row := make([]byte, width)
	for y := range height {
		for x := range row {
			row[x] = byte(fill)
			if fx, fy := x-f.x, y-f.y; fx >= 0 && fx < f.w && fy >= 0 && fy < f.h {
				row[x] = byte(f.pixels[fy*f.w+fx])
			}
		}
		c.Row(bm.Row(y), row)
	}
	return bm
}

// TestFrames: GIFs made here, one per rule of the reference's reading of
// the first frame.
func TestFrames(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pal4 := []color.RGBA{black, white, red, grey}
	other := []color.RGBA{white, grey, black, red}
	full := func(w, h, colours int) frameSpec {
		return frameSpec{w: w, h: h, transparent: -1, pixels: noise(r, w*h, colours)}
	}
	with := func(f frameSpec, edit func(*frameSpec)) frameSpec { edit(&f); return f }
	tests := []struct {
		name    string
		s       spec
		fill    int
		palette []color.RGBA // nil: mode L
	}{
		{"global table", spec{screenW: 37, screenH: 5, global: pal4, frames: []frameSpec{full(37, 5, 4)}}, 0, pal4},
		{"GIF87a", spec{version: "GIF87a", screenW: 9, screenH: 9, global: pal4, frames: []frameSpec{full(9, 9, 4)}}, 0, pal4},
		{"small frame on index 0", spec{screenW: 40, screenH: 12, global: other, frames: []frameSpec{
			with(full(7, 3, 4), func(f *frameSpec) { f.x, f.y = 5, 4 })}}, 0, other},
		{"small frame on the transparent index, not the background", spec{screenW: 40, screenH: 12, global: pal4, background: 3, frames: []frameSpec{
			with(full(7, 3, 4), func(f *frameSpec) { f.x, f.y, f.transparent = 30, 1, 1 })}}, 1, pal4},
		{"frame past the screen grows the image", spec{screenW: 10, screenH: 4, global: pal4, frames: []frameSpec{
			with(full(8, 5, 4), func(f *frameSpec) { f.x, f.y = 6, 2 })}}, 0, pal4},
		{"zero-sized screen", spec{global: pal4, frames: []frameSpec{full(5, 5, 4)}}, 0, pal4},
		{"local table over the global", spec{screenW: 20, screenH: 3, global: pal4, frames: []frameSpec{
			with(full(20, 3, 4), func(f *frameSpec) { f.local = other })}}, 0, other},
		{"local grey ramp gives way to the global table", spec{screenW: 20, screenH: 3, global: other, frames: []frameSpec{
			with(full(20, 3, 4), func(f *frameSpec) { f.local = ramp(4) })}}, 0, other},
		{"local grey ramp, no global table: L", spec{screenW: 20, screenH: 3, frames: []frameSpec{
			with(full(20, 3, 4), func(f *frameSpec) { f.local = ramp(4) })}}, 0, nil},
		{"global grey ramp: L", spec{screenW: 70, screenH: 9, global: ramp(256), frames: []frameSpec{full(70, 9, 256)}}, 0, nil},
		{"no table: L", spec{screenW: 70, screenH: 9, frames: []frameSpec{with(full(60, 9, 256), func(f *frameSpec) { f.litWidth = 8 })}}, 0, nil},
		{"no table, transparent fill: L", spec{screenW: 70, screenH: 9, frames: []frameSpec{
			with(full(60, 9, 256), func(f *frameSpec) { f.litWidth, f.x, f.transparent = 8, 5, 200 })}}, 200, nil},
		{"indices past the table are grey", spec{screenW: 30, screenH: 4, global: []color.RGBA{black, black}, frames: []frameSpec{
			with(full(30, 4, 256), func(f *frameSpec) { f.litWidth = 8 })}}, 0, []color.RGBA{black, black}},
		{"a larger table than needed", spec{screenW: 30, screenH: 4, global: pal4, tableBits: 8, frames: []frameSpec{full(30, 4, 4)}}, 0, pal4},
		{"extensions and stray bytes before the frame", spec{screenW: 11, screenH: 3, global: pal4, frames: []frameSpec{full(11, 3, 4)},
			beforeFrames: []byte("\x21\xfe\x05hello\x00\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00\x00\x07\x21\x01\x02ab\x00")}, 0, pal4},
		{"only the first frame", spec{screenW: 9, screenH: 3, global: pal4, frames: []frameSpec{full(9, 3, 4), full(9, 3, 4)}}, 0, pal4},
		{"data past the frame's last pixel", spec{screenW: 9, screenH: 3, global: pal4, frames: []frameSpec{
			with(full(9, 3, 4), func(f *frameSpec) { f.pixels = append(f.pixels, noise(r, 40, 4)...) })}}, 0, pal4},
		{"no trailer", spec{screenW: 9, screenH: 3, global: pal4, noTrailer: true, frames: []frameSpec{full(9, 3, 4)}}, 0, pal4},
	}
	for h := 1; h <= 17; h++ {
		tests = append(tests, struct {
			name    string
			s       spec
			fill    int
			palette []color.RGBA
		}{fmt.Sprintf("interlaced, %d rows", h), spec{screenW: 23, screenH: h + 2, global: pal4, frames: []frameSpec{
			with(full(21, h, 4), func(f *frameSpec) { f.interlaced, f.x, f.y = true, 1, 1 })}}, 0, pal4})
	}
	for lit := range 13 {
		colours := min(1<<lit, 256)
		if lit == 0 {
			colours = 1 // codes of 1 bit: 0, or the clear code
		}
		for _, interlaced := range []bool{false, true} {
			tests = append(tests, struct {
				name    string
				s       spec
				fill    int
				palette []color.RGBA
			}{fmt.Sprintf("minimum code size %d, interlaced %v", lit, interlaced), spec{screenW: 17, screenH: 9, global: pal4, frames: []frameSpec{
				with(full(17, 9, colours), func(f *frameSpec) { f.literal, f.litWidth, f.interlaced = true, lit, interlaced })}}, 0, pal4})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeBytes(tt.s.bytes())
			if err != nil {
				t.Fatal(err)
			}
			want := expect(t, tt.s.screenW, tt.s.screenH, tt.fill, tt.s.frames[0], tt.palette)
			if !got.Equal(want) {
				t.Fatalf("pixels differ (got %dx%d, want %dx%d)", got.Width, got.Height, want.Width, want.Height)
			}
		})
	}
}

// TestLiteralsPastByte: with a minimum code size over 8, literals keep
// their low byte, as the reference stores them.
func TestLiteralsPastByte(t *testing.T) {
	pal := []color.RGBA{black, white}
	px := []int{0x101, 0x100, 0xf01, 0x200}
	got, err := decodeBytes(spec{screenW: 4, screenH: 1, global: pal, frames: []frameSpec{
		{w: 4, h: 1, transparent: -1, literal: true, litWidth: 12, pixels: px}}}.bytes())
	if err != nil {
		t.Fatal(err)
	}
	for x, want := range []bool{true, false, true, false} {
		if got.At(x, 0) != want {
			t.Fatalf("pixel %d white=%v", x, got.At(x, 0))
		}
	}
}

// TestStdlibEncoder: random paletted images written by image/gif, one and
// several frames, global and local tables, read back as their palettes
// threshold them.
func TestStdlibEncoder(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 40 {
		w, h := 1+r.IntN(300), 1+r.IntN(40)
		n := 2 + r.IntN(255)
		pal := make(color.Palette, n)
		for j := range pal {
			pal[j] = color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 0xff}
		}
		m := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		for j := range m.Pix {
			if j == 0 || r.IntN(5) == 0 {
				m.Pix[j] = uint8(r.IntN(n))
			} else {
				m.Pix[j] = m.Pix[j-1] // runs, so that the LZW table fills
			}
		}
		var buf bytes.Buffer
		g := &stdgif.GIF{Image: []*image.Paletted{m, m}, Delay: []int{0, 0}}
		if err := stdgif.EncodeAll(&buf, g); err != nil {
			t.Fatal(err)
		}
		got, err := decodeBytes(buf.Bytes())
		if err != nil {
			t.Fatalf("image %d: %v", i, err)
		}
		pix := make([]int, len(m.Pix))
		for j, p := range m.Pix {
			pix[j] = int(p)
		}
		// image/gif writes the table padded to a power of two with black.
		want := expect(t, w, h, 0, frameSpec{w: w, h: h, pixels: pix}, convert.StoredPalette(pal))
		if !got.Equal(want) {
			t.Fatalf("image %d (%dx%d, %d colours): pixels differ", i, w, h, n)
		}
	}
}

// TestBitmapRoundTrip: random bitmaps as two-colour GIFs, interlaced or
// not, read back to the same bits.
func TestBitmapRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, w := range []int{1, 7, 8, 63, 64, 65, 127, 200, 1000} {
		h := 1 + r.IntN(20)
		px := noise(r, w*h, 2)
		for _, interlaced := range []bool{false, true} {
			data := spec{screenW: w, screenH: h, global: []color.RGBA{black, white}, frames: []frameSpec{
				{w: w, h: h, transparent: -1, interlaced: interlaced, pixels: px}}}.bytes()
			got, err := decodeBytes(data)
			if err != nil {
				t.Fatal(err)
			}
			for y := range h {
				for x := range w {
					if got.At(x, y) != (px[y*w+x] == 1) {
						t.Fatalf("w=%d interlaced=%v: pixel (%d,%d) differs", w, interlaced, x, y)
					}
				}
			}
		}
	}
}

// TestRefusals: broken and hostile files give a clear error, with little
// memory.
func TestRefusals(t *testing.T) {
	pal := []color.RGBA{black, white}
	good := spec{screenW: 8, screenH: 4, global: pal, frames: []frameSpec{{w: 8, h: 4, transparent: -1, pixels: make([]int, 32)}}}
	goodData := good.bytes()
	desc := bytes.IndexByte(goodData, ',')
	insert := func(ext string) []byte {
		return append(append(bytes.Clone(goodData[:desc]), ext...), goodData[desc:]...)
	}
	with := func(edit func(*frameSpec)) []byte {
		s := good
		s.frames = []frameSpec{s.frames[0]}
		edit(&s.frames[0])
		return s.bytes()
	}
	hugeFrame := bytes.Clone(goodData)
	copy(hugeFrame[desc+5:], []byte{0xff, 0xff, 0xff, 0xff})
	hugeInterlaced := bytes.Clone(hugeFrame)
	hugeInterlaced[desc+9] |= 0x40
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"not a GIF", []byte("GIF90a and more bytes"), "not a GIF"},
		{"no image", spec{screenW: 8, screenH: 4, global: pal}.bytes(), "no image"},
		{"truncated table", goodData[:15], "colour table"},
		{"truncated descriptor", goodData[:desc+5], "truncated"},
		{"truncated data", goodData[:len(goodData)-4], "truncated"},
		{"data ends early", with(func(f *frameSpec) { f.pixels = f.pixels[:20] }), "ends before row 2"},
		{"no end code, data ends early", with(func(f *frameSpec) { f.pixels, f.noEnd, f.literal = f.pixels[:20], true, true }), "ends before row 2"},
		{"empty frame", with(func(f *frameSpec) { f.h = 0 }), "0 pixels"},
		{"code size 13", with(func(f *frameSpec) { f.literal, f.litWidth = true, 13 }), "over 12"},
		{"invalid code", []byte("GIF89a\x04\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff,\x00\x00\x00\x00\x04\x00\x01\x00\x00\x02\x02\x07\x00;"), "invalid LZW code"},
		{"short graphic control", insert("\x21\xf9\x02\x00\x00\x00"), "graphic control"},
		{"graphic control without its index", insert("\x21\xf9\x03\x01\x00\x00\x00"), "graphic control"},
		{"application extension with no data", insert("\x21\xff\x00"), "no data"},
		{"over 65535 wide", with(func(f *frameSpec) { f.x = 65000; f.w = 600 }), "65535"},
		{"huge frame, tiny file", hugeFrame, "too short"},
		{"huge interlaced frame, tiny file", hugeInterlaced, "too short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testkit.Refuses(t, func(d []byte) error { _, err := decodeBytes(d); return err }, tt.data, tt.want, 2<<20)
		})
	}
}

// TestLargeFramesStream: a large frame, interlaced or not, that compresses
// well is read band by band holding no more than a few decoders' state,
// not the frame.
func TestLargeFramesStream(t *testing.T) {
	const w, h = 2000, 2000
	for _, interlaced := range []bool{false, true} {
		px := make([]int, w*h)
		for i := range px {
			if i/w%100 < 3 {
				px[i] = 1
			}
		}
		data := spec{screenW: w, screenH: h, global: []color.RGBA{black, white}, frames: []frameSpec{
			{w: w, h: h, transparent: -1, interlaced: interlaced, pixels: px}}}.bytes()
		img, err := gif.Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		band, _ := bitmap.New(w, 16)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for y := 0; y < h; y += band.Height {
			if err := img.ReadRows(band); err != nil {
				t.Fatal(err)
			}
			for i := range band.Height {
				if band.At(w/2, i) != ((y+i)%100 < 3) {
					t.Fatalf("interlaced=%v: row %d differs", interlaced, y+i)
				}
			}
		}
		runtime.ReadMemStats(&after)
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
			t.Fatalf("interlaced=%v: reading a %d-byte GIF of %d Mpixel allocated %d bytes", interlaced, len(data), w*h>>20, grew)
		}
	}
}

// TestDamagedConformance: truncations and flipped bytes of the
// conformance GIFs never panic and stay within a few MB.
func TestDamagedConformance(t *testing.T) {
	files := conformance.Files(t, "formats/gif_*/*.gif")
	r := rand.New(rand.NewPCG(7, 8))
	for _, f := range files {
		good, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var variants [][]byte
		for _, n := range []int{0, 6, 12, 13, 20, len(good) / 2, len(good) - 2} {
			variants = append(variants, good[:min(n, len(good))])
		}
		for range 30 {
			d := bytes.Clone(good)
			d[r.IntN(len(d))] ^= byte(1 + r.IntN(255))
			variants = append(variants, d)
		}
		for _, d := range variants {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			bm, err := decodeBytes(d)
			runtime.ReadMemStats(&after)
			if err == nil && (bm.Width < 1 || bm.Height < 1) {
				t.Errorf("%s: accepted an empty image", filepath.Base(f))
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
				t.Errorf("%s damaged: a %d-byte file allocated %d bytes", filepath.Base(f), len(d), grew)
			}
		}
	}
}

// FuzzDecode: the reader never panics or hangs, and what it accepts is a
// real image.
func FuzzDecode(f *testing.F) {
	r := rand.New(rand.NewPCG(9, 10))
	pal := []color.RGBA{black, white, red, grey}
	for _, s := range []spec{
		{screenW: 9, screenH: 4, global: pal, frames: []frameSpec{{w: 9, h: 4, transparent: -1, pixels: noise(r, 36, 4)}}},
		{screenW: 9, screenH: 9, global: pal, frames: []frameSpec{{x: 2, y: 3, w: 5, h: 5, transparent: 2, interlaced: true, pixels: noise(r, 25, 4)}}},
		{screenW: 4, screenH: 2, frames: []frameSpec{{w: 4, h: 2, transparent: -1, local: ramp(4), pixels: noise(r, 8, 4)}}},
		{screenW: 3, screenH: 3, global: pal, frames: []frameSpec{{w: 3, h: 3, transparent: -1, literal: true, litWidth: 11, pixels: noise(r, 9, 2000)}}},
		{screenW: 3, screenH: 3, global: pal, frames: []frameSpec{{w: 3, h: 3, transparent: -1, literal: true, litWidth: 1, pixels: noise(r, 9, 2)}}},
	} {
		f.Add(s.bytes())
	}
	if dir, err := filepath.Abs(filepath.Join(conformance.Root(f), "..", "shared", "conformance", "formats", "gif_bw")); err == nil {
		if files, _ := filepath.Glob(filepath.Join(dir, "*.gif")); len(files) > 0 {
			if data, err := os.ReadFile(files[0]); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := gif.Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		w, h := img.Size()
		if w < 1 || h < 1 || w > bitmap.MaxDimension || h > bitmap.MaxDimension {
			t.Fatalf("accepted a %dx%d image", w, h)
		}
		if w*h > 1<<18 {
			return // a large screen around a small frame: legitimate, but slow to convert
		}
		bm, err := bitmap.New(w, h)
		if err != nil {
			t.Fatal(err)
		}
		if img.ReadRows(bm) == nil {
			for y := range h {
				if bm.Row(y)[bm.Stride-1]&^bitmap.TailMask(w) != 0 {
					t.Fatalf("padding bits set in row %d", y)
				}
			}
		}
	})
}
