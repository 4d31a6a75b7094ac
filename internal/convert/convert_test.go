package convert_test

import (
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/convert"
)

// naiveDither is Floyd–Steinberg as COMPAT.md rule 4 states it, over the
// whole image at once: the reference's arithmetic, written plainly.
func naiveDither(grey [][]int, w, h int) [][]bool {
	errs := make([][]int, h)
	white := make([][]bool, h)
	at := func(x, y int) int {
		if x < 0 || x >= w || y < 0 {
			return 0
		}
		return errs[y][x]
	}
	for y := range h {
		errs[y] = make([]int, w)
		white[y] = make([]bool, w)
		for x := range w {
			s := 7*at(x-1, y) + at(x-1, y-1) + 5*at(x, y-1) + 3*at(x+1, y-1)
			v := min(max(grey[y][x]+s/16, 0), 255)
			if v > 128 {
				white[y][x] = true
				v -= 255
			}
			errs[y][x] = v
		}
	}
	return white
}

func TestDitherMatchesRule(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, size := range [][2]int{{1, 1}, {1, 9}, {9, 1}, {63, 5}, {64, 4}, {65, 7}, {200, 13}} {
		w, h := size[0], size[1]
		grey := make([][]int, h)
		for y := range grey {
			grey[y] = make([]int, w)
			for x := range grey[y] {
				grey[y][x] = r.IntN(256)
			}
		}
		want := naiveDither(grey, w, h)
		d := convert.NewDitherer(w)
		row := make([]uint64, bitmap.WordsPerRow(w))
		for y := range h {
			g := make([]uint8, w)
			for x := range g {
				g[x] = uint8(grey[y][x])
			}
			for i := range row {
				row[i] = ^uint64(0) // Row overwrites whatever was there
			}
			d.Row(row, g)
			for x := range w {
				if got := row[x/64]>>(63-x%64)&1 == 1; got != want[y][x] {
					t.Fatalf("%dx%d: pixel (%d,%d) white=%v, want %v", w, h, x, y, got, want[y][x])
				}
			}
			if row[len(row)-1]&^bitmap.TailMask(w) != 0 {
				t.Fatalf("%dx%d: bits past the width set", w, h)
			}
		}
	}
}

func TestThreshold(t *testing.T) {
	palette := []color.RGBA{{}, {R: 255, G: 255, B: 255}, {R: 255}, {G: 218}, {G: 219}}
	white := convert.Threshold(palette)
	for i, want := range map[int]bool{
		0: false, 1: true, 2: false, // red: 299·255 < 128000
		3: false, 4: true, // green: 587·218 = 127966, 587·219 = 128553
		5: false, 127: false, 128: true, 255: true, // past the end: (i, i, i)
	} {
		if white[i] != want {
			t.Errorf("index %d: white=%v, want %v", i, white[i], want)
		}
	}
}

func TestClip(t *testing.T) {
	for _, tc := range []struct {
		v    int64
		want uint8
	}{{-5, 0}, {0, 0}, {200, 200}, {255, 255}, {256, 255}, {65535, 255}, {math.MinInt32, 0}} {
		if got := convert.ClipI(tc.v); got != tc.want {
			t.Errorf("ClipI(%d) = %d, want %d", tc.v, got, tc.want)
		}
	}
	for _, tc := range []struct {
		v    float32
		want uint8
	}{{-0.5, 0}, {0.99, 0}, {1, 1}, {254.9, 254}, {255, 255}, {1e9, 255}, {float32(math.Inf(-1)), 0}, {float32(math.NaN()), 0}} {
		if got := convert.ClipF(tc.v); got != tc.want {
			t.Errorf("ClipF(%v) = %d, want %d", tc.v, got, tc.want)
		}
	}
}

// TestCMYKToRGB compares with values Pillow 9.4 gives.
func TestCMYKToRGB(t *testing.T) {
	for _, tc := range []struct{ cmyk, rgb [4]uint8 }{
		{[4]uint8{0, 0, 0, 0}, [4]uint8{255, 255, 255}},
		{[4]uint8{255, 255, 255, 255}, [4]uint8{0, 0, 0}},
		{[4]uint8{10, 200, 30, 40}, [4]uint8{207, 46, 190}},
		{[4]uint8{128, 64, 32, 16}, [4]uint8{119, 179, 209}},
		{[4]uint8{255, 0, 0, 0}, [4]uint8{0, 255, 255}},
		{[4]uint8{0, 0, 0, 128}, [4]uint8{127, 127, 127}},
		{[4]uint8{77, 1, 254, 200}, [4]uint8{38, 55, 0}},
	} {
		r, g, b := convert.CMYKToRGB(tc.cmyk[0], tc.cmyk[1], tc.cmyk[2], tc.cmyk[3])
		if [4]uint8{r, g, b} != tc.rgb {
			t.Errorf("CMYK %v: got %v, want %v", tc.cmyk[:], []uint8{r, g, b}, tc.rgb[:3])
		}
	}
}

// TestModes: a row in each mode converts as its grey levels would in L,
// or, for the modes that are not dithered, as the rule says.
func TestModes(t *testing.T) {
	const w = 70
	r := rand.New(rand.NewPCG(3, 4))
	grey := make([]uint8, w) // what each pixel should come to
	for x := range grey {
		grey[x] = uint8(r.IntN(256))
	}
	rowOf := func(bytesPer int, put func(p []byte, g uint8)) []byte {
		row := make([]byte, bytesPer*w)
		for x, g := range grey {
			put(row[bytesPer*x:bytesPer*x+bytesPer], g)
		}
		return row
	}
	tests := map[convert.Mode][]byte{
		convert.L:    rowOf(1, func(p []byte, g uint8) { p[0] = g }),
		convert.LA:   rowOf(2, func(p []byte, g uint8) { p[0], p[1] = g, 0 }),
		convert.RGB:  rowOf(3, func(p []byte, g uint8) { p[0], p[1], p[2] = g, g, g }),
		convert.RGBA: rowOf(4, func(p []byte, g uint8) { p[0], p[1], p[2], p[3] = g, g, g, 7 }),
		convert.CMYK: rowOf(4, func(p []byte, g uint8) { p[0], p[1], p[2], p[3] = 0, 0, 0, 255-g }),
		convert.I16B: rowOf(2, func(p []byte, g uint8) { binary.BigEndian.PutUint16(p, uint16(g)) }),
		convert.I16:  rowOf(2, func(p []byte, g uint8) { binary.LittleEndian.PutUint16(p, uint16(g)) }),
		convert.I: rowOf(4, func(p []byte, g uint8) {
			v := int32(g)
			switch g {
			case 0:
				v = -70000 // clipped, not wrapped
			case 255:
				v = 1 << 20
			}
			binary.LittleEndian.PutUint32(p, uint32(v))
		}),
		convert.F: rowOf(4, func(p []byte, g uint8) { // truncated toward zero, and clipped
			binary.LittleEndian.PutUint32(p, math.Float32bits(float32(g)+0.75))
		}),
	}
	want := make([]uint64, bitmap.WordsPerRow(w))
	convert.NewDitherer(w).Row(want, grey)
	for mode, src := range tests {
		t.Run(mode.String(), func(t *testing.T) {
			if got := mode.RowBytes(w); got != len(src) {
				t.Fatalf("RowBytes = %d, want %d", got, len(src))
			}
			c, err := convert.New(mode, w, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]uint64, len(want))
			c.Row(got, src)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("word %d: got %x, want %x", i, got[i], want[i])
				}
			}
		})
	}
}

func TestPaletteModes(t *testing.T) {
	palette := []color.RGBA{{R: 255, G: 255, B: 255}, {}, {R: 200, G: 200, B: 200}}
	for _, tc := range []struct {
		mode convert.Mode
		row  []byte
	}{
		{convert.P, []byte{0, 1, 2, 200, 7}},
		{convert.PA, []byte{0, 9, 1, 9, 2, 9, 200, 9, 7, 9}},
	} {
		c, err := convert.New(tc.mode, 5, palette)
		if err != nil {
			t.Fatal(err)
		}
		got := []uint64{^uint64(0)}
		c.Row(got, tc.row)
		// white, black, white, (200,200,200) white, (7,7,7) black
		if want := uint64(0b10110) << 59; got[0] != want {
			t.Errorf("%v: got %064b, want %064b", tc.mode, got[0], want)
		}
	}
	c, _ := convert.New(convert.Mode1, 10, nil)
	got := []uint64{0}
	c.Row(got, []byte{0b10110011, 0b01111111})
	if want := uint64(0b1011001101) << 54; got[0] != want {
		t.Errorf("mode 1: got %064b, want %064b", got[0], want)
	}
}

// TestImage: an image decoded by the standard library converts by its
// type's mode, a palette's transparent entries by their stored colour.
func TestImage(t *testing.T) {
	p := image.NewPaletted(image.Rect(0, 0, 3, 1), color.Palette{
		color.NRGBA{R: 255, G: 255, B: 255, A: 0}, // transparent white stays white
		color.NRGBA{A: 255},
		color.RGBA{R: 255, G: 255, B: 255, A: 255},
	})
	p.Pix = []uint8{0, 1, 2}
	bm, err := convert.Image(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bm.At(0, 0) || bm.At(1, 0) || !bm.At(2, 0) {
		t.Errorf("paletted: got %v %v %v", bm.At(0, 0), bm.At(1, 0), bm.At(2, 0))
	}
	n := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	copy(n.Pix, []uint8{255, 255, 255, 0, 0, 0, 0, 255})
	if bm, err = convert.Image(n); err != nil || !bm.At(0, 0) || bm.At(1, 0) {
		t.Errorf("NRGBA: alpha must be ignored: %v", err)
	}
	if _, err := convert.Image(image.NewYCbCr(image.Rect(0, 0, 1, 1), image.YCbCrSubsampleRatio444)); err == nil {
		t.Error("a YCbCr image converted; its pixels depend on the decoder's arithmetic")
	}
}

// BenchmarkDither dithers a page of 600-dpi grey (5100 pixels a row), a row
// at a time, as every grey and colour image is converted.
func BenchmarkDither(b *testing.B) {
	const w, h = 5100, 64
	r := rand.New(rand.NewPCG(5, 6))
	rows := make([][]uint8, h)
	for y := range rows {
		rows[y] = make([]uint8, w)
		for x := range rows[y] {
			rows[y][x] = uint8(200 + r.IntN(56)) // paper, mostly
			if r.IntN(20) == 0 {
				rows[y][x] = uint8(r.IntN(80)) // ink
			}
		}
	}
	d := convert.NewDitherer(w)
	dst := make([]uint64, bitmap.WordsPerRow(w))
	b.SetBytes(w * h)
	for b.Loop() {
		for _, row := range rows {
			d.Row(dst, row)
		}
	}
}

func TestOneBit(t *testing.T) {
	black, white, red, grey := color.RGBA{}, color.RGBA{R: 255, G: 255, B: 255}, color.RGBA{R: 255}, color.RGBA{R: 200, G: 200, B: 200}
	for _, tc := range []struct {
		palette []color.RGBA
		invert  bool
		fill    int
	}{
		{[]color.RGBA{black, white}, false, -1},
		{[]color.RGBA{white, black}, true, -1},
		{[]color.RGBA{grey, red}, true, -1},
		{[]color.RGBA{red, black}, false, 0},
		{[]color.RGBA{white, grey}, false, 1},
	} {
		if invert, fill := convert.OneBit(tc.palette); invert != tc.invert || fill != tc.fill {
			t.Errorf("%v: invert %v, fill %d; want %v, %d", tc.palette, invert, fill, tc.invert, tc.fill)
		}
	}
}
