package bmp_test

import (
	"bytes"
	"image/color"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	xbmp "golang.org/x/image/bmp"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec/bmp"
	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
	"github.com/rlec/rlec/internal/conformance"
	"github.com/rlec/rlec/internal/testkit"
)

func decodeBytes(data []byte) (*bitmap.Bitmap, error) {
	return bmp.Decode(bytes.NewReader(data), int64(len(data)))
}

func noise(seed uint64) func(x, y int) uint32 {
	return func(x, y int) uint32 {
		h := (uint64(x)*0x9e3779b97f4a7c15 ^ uint64(y)*0xc2b2ae3d27d4eb4f ^ seed) * 0x2545f4914f6cdd1d
		return uint32(h >> 63)
	}
}

func TestDecode1Bit(t *testing.T) {
	red, blue := color.RGBA{R: 0xff, A: 0xff}, color.RGBA{B: 0xff, A: 0xff}
	grey := color.RGBA{R: 200, G: 200, B: 200, A: 0xff}
	tests := []struct {
		name    string
		palette []color.RGBA
		white   [2]bool // colour of index 0 and 1
	}{
		{"black-white", bmptest.BlackWhite, [2]bool{false, true}},
		{"white-black inverts", bmptest.WhiteBlack, [2]bool{true, false}},
		{"red-blue thresholds to black", []color.RGBA{red, blue}, [2]bool{false, false}},
		{"light grey-red", []color.RGBA{grey, red}, [2]bool{true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, topDown := range []bool{false, true} {
				// Padding past a row's last pixel is ignored, whatever a writer
				// left in it: the Bitmap's own padding bits stay zero.
				for _, padding := range []byte{0x00, 0xff, 0x5a} {
					for _, w := range []int{1, 7, 8, 9, 31, 32, 63, 64, 65, 127, 200, 257, 320, 449, 600} {
						pix := noise(uint64(w))
						data := bmptest.Build(bmptest.Spec{Width: w, Height: 7, BitsPerPixel: 1, Palette: tt.palette, TopDown: topDown, Pixel: pix, Padding: padding})
						bm, err := decodeBytes(data)
						if err != nil {
							t.Fatalf("%s w=%d: %v", tt.name, w, err)
						}
						for y := range 7 {
							for x := range w {
								if got, want := bm.At(x, y), tt.white[pix(x, y)]; got != want {
									t.Fatalf("%s w=%d topDown=%v: pixel (%d,%d) white=%v, want %v", tt.name, w, topDown, x, y, got, want)
								}
							}
						}
						if y, ok := paddingSet(bm); ok {
							t.Fatalf("%s w=%d topDown=%v, file padding %#x: padding bits set in row %d", tt.name, w, topDown, padding, y)
						}
					}
				}
			}
		})
	}
}

// paddingSet returns the first row of bm with a bit set past its width, which
// no Bitmap may have: the encoder takes those bits for pixels.
func paddingSet(bm *bitmap.Bitmap) (y int, ok bool) {
	for y := range bm.Height {
		if bm.Row(y)[bm.Stride-1]&^bitmap.TailMask(bm.Width) != 0 {
			return y, true
		}
	}
	return 0, false
}

func TestDecodeDepthsAgree(t *testing.T) {
	// The same black and white picture as 1, 4, 8 and 24 bits: the paletted
	// ones threshold and the 24-bit one dithers, which leaves pure black and
	// white alone.
	pix := noise(7)
	want, err := decodeBytes(bmptest.Build(bmptest.Spec{Width: 77, Height: 9, BitsPerPixel: 1, Palette: bmptest.BlackWhite, Pixel: pix}))
	if err != nil {
		t.Fatal(err)
	}
	pal16 := make([]color.RGBA, 16)
	pal16[1] = color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	specs := map[string]bmptest.Spec{
		"4-bit":  {BitsPerPixel: 4, Palette: pal16, Pixel: pix},
		"8-bit":  {BitsPerPixel: 8, Palette: pal16, Pixel: pix},
		"24-bit": {BitsPerPixel: 24, Pixel: func(x, y int) uint32 { return pix(x, y) * 0xffffff }},
	}
	for name, s := range specs {
		t.Run(name, func(t *testing.T) {
			s.Width, s.Height, s.Padding = 77, 9, 0xff
			got, err := decodeBytes(bmptest.Build(s))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !got.Equal(want) {
				t.Fatalf("%s: pixels differ from the 1-bit image", name)
			}
		})
	}
}

func randomBitmap(r *rand.Rand, w, h int) *bitmap.Bitmap {
	bm, _ := bitmap.New(w, h)
	for y := range h {
		for x := range w {
			bm.Set(x, y, r.IntN(3) == 0)
		}
	}
	return bm
}

func TestEncodeRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, w := range []int{1, 7, 31, 32, 33, 64, 65, 100, 255, 256, 257, 320, 449, 1000} {
		bm := randomBitmap(r, w, 1+r.IntN(9))
		var buf bytes.Buffer
		if err := bmp.Encode(&buf, bm); err != nil {
			t.Fatal(err)
		}
		back, err := decodeBytes(buf.Bytes())
		if err != nil || !back.Equal(bm) {
			t.Fatalf("w=%d: decode(encode(image)) differs: %v", w, err)
		}
		// Another reader sees the same pixels.
		img, err := xbmp.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("x/image/bmp cannot read our BMP: %v", err)
		}
		for y := range bm.Height {
			for x := range bm.Width {
				r, _, _, _ := img.At(x, y).RGBA()
				if (r == 0xffff) != bm.At(x, y) {
					t.Fatalf("w=%d: x/image/bmp sees pixel (%d,%d) differently", w, x, y)
				}
			}
		}
	}
}

func TestRefusals(t *testing.T) {
	valid := bmptest.Build(bmptest.Spec{Width: 10, Height: 3, BitsPerPixel: 1, Palette: bmptest.BlackWhite, Pixel: noise(1)})
	patch := func(off int, b ...byte) []byte {
		d := bytes.Clone(valid)
		copy(d[off:], b)
		return d
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"not a BMP", []byte("GIF89a, not a bitmap at all"), "not a BMP"},
		{"too wide for .rle", patch(18, 0x00, 0x00, 0x01, 0x00), "65535"},
		{"too tall for .rle", patch(22, 0x00, 0x00, 0x01, 0x00), "65535"},
		{"huge claim in a small file", patch(18, 0xff, 0xff, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00), "truncated"},
		{"truncated pixels", valid[:len(valid)-3], "truncated"},
		{"zero width", patch(18, 0, 0, 0, 0), "positive"},
		{"two planes", patch(26, 2), "planes"},
		{"depth 3", patch(28, 3), "depth"},
		{"unknown compression", patch(30, 9), "compression"},
		{"palette too large", patch(46, 0x00, 0x10), "palette"},
		{"odd header size", patch(14, 41), "header size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testkit.Refuses(t, func(d []byte) error { _, err := decodeBytes(d); return err }, tt.data, tt.want, 4<<20)
		})
	}
}

// TestBadSuite: every BMP Suite bad file gives an error or a sane image.
func TestBadSuite(t *testing.T) {
	for _, f := range conformance.Files(t, "bmpsuite/bad/*.bmp") {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		bm, err := decodeBytes(data)
		if err == nil && (bm.Width < 1 || bm.Height < 1 || bm.Width*bm.Height > 8*len(data)*8) {
			t.Errorf("%s: implausible %dx%d image from %d bytes", filepath.Base(f), bm.Width, bm.Height, len(data))
		}
		t.Logf("%s: %v", filepath.Base(f), err)
	}
}

// TestDamagedGoodFiles: truncations and flipped bytes of every good file
// never panic and never allocate far beyond the file.
func TestDamagedGoodFiles(t *testing.T) {
	files := conformance.Files(t, "bmpsuite/good/*.bmp")
	files = append(files, conformance.Files(t, "book/*.bmp")...)
	r := rand.New(rand.NewPCG(8, 9))
	for _, f := range files {
		good, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// An RLE file may lose its end-of-bitmap escape once every pixel is
		// decoded, as it may for the reference.
		rleCompressed := good[30] == 1 || good[30] == 2
		for _, n := range []int{0, 1, 2, 13, 14, 17, 30, 54, 60, len(good) / 2, len(good) - 1} {
			if n < len(good) && !(rleCompressed && n == len(good)-1) {
				if _, err := decodeBytes(good[:n]); err == nil {
					t.Errorf("%s truncated to %d bytes was accepted", filepath.Base(f), n)
				}
			}
		}
		for range 40 {
			d := bytes.Clone(good)
			d[r.IntN(min(len(d), 128))] ^= byte(1 + r.IntN(255))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			decodeBytes(d) // must not panic
			runtime.ReadMemStats(&after)
			// What a file can justify: a few bytes of image per byte of file,
			// or the 16-Mpixel floor of RLE images.
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64*uint64(len(d))+(32<<20) {
				t.Errorf("%s with a flipped byte: a %d-byte file allocated %d bytes", filepath.Base(f), len(d), grew)
			}
		}
	}
}

// FuzzDecode: the BMP reader never panics or hangs, and what it accepts is a
// real image.
func FuzzDecode(f *testing.F) {
	for _, s := range []bmptest.Spec{
		{Width: 9, Height: 2, BitsPerPixel: 1, Palette: bmptest.BlackWhite, Pixel: noise(1)},
		{Width: 9, Height: 2, BitsPerPixel: 1, Palette: bmptest.WhiteBlack, Pixel: noise(2), TopDown: true},
		{Width: 5, Height: 3, BitsPerPixel: 8, Palette: bmptest.BlackWhite, Pixel: noise(3)},
		{Width: 4, Height: 4, BitsPerPixel: 24, Pixel: func(x, y int) uint32 { return uint32(x*60) << 8 }},
		{Width: 9, Height: 2, BitsPerPixel: 1, Palette: bmptest.BlackWhite, Pixel: noise(4), Padding: 0xff},
		{Width: 3, Height: 2, BitsPerPixel: 4, Palette: bmptest.BlackWhite, Pixel: noise(5), Padding: 0xff},
	} {
		f.Add(bmptest.Build(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		bm, err := decodeBytes(data)
		if err != nil {
			return
		}
		if bm.Width < 1 || bm.Height < 1 || len(bm.Words) != bm.Stride*bm.Height {
			t.Fatalf("accepted a malformed %dx%d image", bm.Width, bm.Height)
		}
		if y, ok := paddingSet(bm); ok {
			t.Fatalf("%dx%d image: padding bits set in row %d", bm.Width, bm.Height, y)
		}
	})
}

// TestRLEDeltaBomb: delta escapes that claim a 9000x9000 image in 1.3 kB
// are refused without allocating it.
func TestRLEDeltaBomb(t *testing.T) {
	const w, h = 9000, 9000
	le32 := func(b []byte, v uint32) []byte { return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24)) }
	b := []byte{'B', 'M'}
	b = le32(b, 0)
	b = le32(b, 0)
	b = le32(b, 14+40+4*256)
	b = le32(b, 40)
	b = le32(b, w)
	b = le32(b, h)
	b = append(b, 1, 0, 8, 0) // planes, bits per pixel
	b = le32(b, 1)            // RLE8
	for range 6 {
		b = le32(b, 0)
	}
	b = append(b, make([]byte, 4*256)...)
	for range h/255 + 1 { // each delta, as the reference reads it, skips 255 rows
		b = append(b, 0, 2, 0, 0, 0, 255)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := decodeBytes(b)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "cannot describe") {
		t.Fatalf("got %v, want a refusal", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Fatalf("refusing a %d-byte file allocated %d bytes", len(b), grew)
	}
}

// TestRowOffset: row y of the file Encode writes starts at
// BMPRowOffset(y) and holds BMPStride bytes: the row's pixels, most
// significant bit first, then zeros.
func TestRowOffset(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 13))
	for _, w := range []int{1, 7, 8, 31, 32, 33, 63, 64, 77, 96} {
		bm := randomBitmap(r, w, 5)
		var buf bytes.Buffer
		if err := bmp.Encode(&buf, bm); err != nil {
			t.Fatal(err)
		}
		file := buf.Bytes()
		stride := bmp.Stride(w)
		if stride%4 != 0 || stride < (w+7)/8 || stride >= (w+7)/8+4 {
			t.Fatalf("width %d: stride %d", w, stride)
		}
		for y := range bm.Height {
			off := bmp.RowOffset(w, bm.Height, y)
			row := file[off : off+int64(stride)]
			for x := range stride * 8 {
				got := row[x/8]>>(7-x%8)&1 == 1
				if want := x < w && bm.At(x, y); got != want {
					t.Fatalf("width %d, row %d, bit %d: got %v, want %v", w, y, x, got, want)
				}
			}
		}
	}
}
