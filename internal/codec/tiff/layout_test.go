package tiff_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/tiff"
)

func decodeBytes(data []byte) (*bitmap.Bitmap, error) {
	return tiff.Decode(bytes.NewReader(data), int64(len(data)))
}

// pixelKind is a layout of samples Pillow reads, with the freedoms its
// table gives it: which byte orders, whether FillOrder 2.
type pixelKind struct {
	name          string
	photo         int
	spp, bps      int
	format        int
	extra         []int
	palette       bool
	littleOnly    bool // Pillow reads it in little-endian files only
	fill2         bool // Pillow reads it with FillOrder 2
	floatingPoint bool
}

var pixelKinds = []pixelKind{
	{name: "bilevel-min-is-white", photo: 0, spp: 1, bps: 1, fill2: true},
	{name: "bilevel-min-is-black", photo: 1, spp: 1, bps: 1, fill2: true},
	{name: "bilevel-no-photometric", photo: -1, spp: 1, bps: 1, fill2: true},
	{name: "grey2-min-is-white", photo: 0, spp: 1, bps: 2, fill2: true},
	{name: "grey2-min-is-black", photo: 1, spp: 1, bps: 2, fill2: true},
	{name: "grey4-min-is-white", photo: 0, spp: 1, bps: 4, fill2: true},
	{name: "grey4-min-is-black", photo: 1, spp: 1, bps: 4},
	{name: "grey8-min-is-white", photo: 0, spp: 1, bps: 8},
	{name: "grey8-min-is-black", photo: 1, spp: 1, bps: 8, fill2: true},
	{name: "grey16-min-is-black", photo: 1, spp: 1, bps: 16},
	{name: "grey16-min-is-white", photo: 0, spp: 1, bps: 16, littleOnly: true},
	{name: "grey16-signed", photo: 1, spp: 1, bps: 16, format: 2},
	{name: "grey32-signed", photo: 1, spp: 1, bps: 32, format: 2},
	{name: "grey32-unsigned", photo: 1, spp: 1, bps: 32, format: 1, littleOnly: true},
	{name: "float32", photo: 1, spp: 1, bps: 32, format: 3, floatingPoint: true},
	{name: "float32-min-is-white", photo: 0, spp: 1, bps: 32, format: 3, floatingPoint: true},
	{name: "palette1", photo: 3, spp: 1, bps: 1, palette: true},
	{name: "palette2", photo: 3, spp: 1, bps: 2, palette: true},
	{name: "palette4", photo: 3, spp: 1, bps: 4, palette: true},
	{name: "palette8", photo: 3, spp: 1, bps: 8, palette: true, fill2: true},
	{name: "palette-alpha", photo: 3, spp: 2, bps: 8, extra: []int{2}, palette: true},
	{name: "grey-alpha", photo: 1, spp: 2, bps: 8, extra: []int{2}},
	{name: "rgb8", photo: 2, spp: 3, bps: 8, fill2: true},
	{name: "rgb16", photo: 2, spp: 3, bps: 16},
	{name: "rgba8", photo: 2, spp: 4, bps: 8, extra: []int{2}},
	{name: "rgba8-no-extra", photo: 2, spp: 4, bps: 8},
	{name: "rgbx8", photo: 2, spp: 4, bps: 8, extra: []int{0}},
	{name: "rgbax8", photo: 2, spp: 5, bps: 8, extra: []int{2, 0}},
	{name: "rgba8-premultiplied", photo: 2, spp: 4, bps: 8, extra: []int{1}},
	{name: "rgba16", photo: 2, spp: 4, bps: 16, extra: []int{2}},
	{name: "rgba16-premultiplied", photo: 2, spp: 4, bps: 16, extra: []int{1}},
	{name: "cmyk8", photo: 5, spp: 4, bps: 8},
	{name: "cmykx8", photo: 5, spp: 5, bps: 8, extra: []int{0}},
	{name: "cmyk16", photo: 5, spp: 4, bps: 16, littleOnly: true},
}

// shape is how the samples are laid out in the file.
type shape struct {
	name         string
	bigEndian    bool
	bigTIFF      bool
	rps          int
	tileW, tileH int
	planar       bool
}

var shapes = []shape{
	{name: "one-strip"},
	{name: "strips-of-1", rps: 1, bigEndian: true},
	{name: "strips-of-7", rps: 7, planar: true},
	{name: "tiles-16x16", tileW: 16, tileH: 16, bigEndian: true, planar: true},
	{name: "tiles-32x48-bigtiff", tileW: 32, tileH: 48, bigTIFF: true},
	{name: "tiles-12x5", tileW: 12, tileH: 5, bigEndian: true, bigTIFF: true},
	{name: "tiles-48x8-one-across", tileW: 48, tileH: 8, planar: true},
}

var compressions = []struct {
	name string
	comp int
}{
	{"none", cNone}, {"packbits", cPackBits}, {"deflate", cDeflate}, {"adobe-deflate", cDeflateZ},
	{"lzw", cLZW}, {"lzw-old-style", cLZWOld}, {"g4", cG4},
}

// colorMap is a palette of 2^bps entries with colours all over the cube.
func colorMap(bps int) []uint16 {
	n := 1 << bps
	m := make([]uint16, 3*n)
	src := noise(99, 16)
	for i := range m {
		m[i] = uint16(src(i, 0, 0))
	}
	if n == 2 { // one black, one white entry
		m[0], m[2], m[4] = 0, 0, 0
		m[1], m[3], m[5] = 0xffff, 0xffff, 0xffff
	}
	return m
}

// TestLayouts reads every kind of pixel Pillow reads, in strips and tiles,
// in both byte orders, classic and BigTIFF, chunky and planar, with every
// compression that applies, with and without predictors and FillOrder 2,
// and checks the pixels against what the reference makes of the samples.
func TestLayouts(t *testing.T) {
	for ki, k := range pixelKinds {
		for ci, c := range compressions {
			if c.comp == cG4 && k.bps != 1 {
				continue
			}
			for si, sh := range shapes {
				s := spec{
					W: 37, H: 19, Photo: k.photo, SPP: k.spp, BPS: k.bps, Format: k.format, Extra: k.extra,
					Comp: c.comp, RPS: sh.rps, TileW: sh.tileW, TileH: sh.tileH,
					BigEndian: sh.bigEndian && !k.littleOnly, BigTIFF: sh.bigTIFF,
					Planar: sh.planar && k.spp > 1,
					Sample: noise(uint64(ki*100+si), k.bps),
				}
				if k.floatingPoint {
					s.Sample = floats(uint64(si))
				}
				if k.palette {
					s.ColorMap = colorMap(k.bps)
				}
				// Alternate the options that some layouts allow.
				turn := ki + ci + si
				s.Fill2 = k.fill2 && turn%2 == 0
				if c.comp == cLZW || c.comp == cLZWOld || c.comp == cDeflate || c.comp == cDeflateZ {
					switch {
					case k.floatingPoint && turn%3 != 0:
						s.Predictor = 3
					case (k.bps == 8 || k.bps == 16 || k.bps == 32) && turn%3 != 1:
						s.Predictor = 2
					}
				}
				name := fmt.Sprintf("%s/%s/%s/fill%v/predictor%d", k.name, c.name, sh.name, s.Fill2, s.Predictor)
				t.Run(name, func(t *testing.T) {
					data := build(s)
					got, err := decodeBytes(data)
					if err != nil {
						t.Fatalf("decode: %v", err)
					}
					if want := expected(s); !got.Equal(want) {
						t.Fatalf("pixels differ from the reference's:\n%s", diffPicture(got, want))
					}
				})
			}
		}
	}
}

// diffPicture draws where two bitmaps differ, for failure messages.
func diffPicture(got, want *bitmap.Bitmap) string {
	var b bytes.Buffer
	for y := range min(got.Height, want.Height, 24) {
		for x := range min(got.Width, want.Width, 80) {
			switch g, w := got.At(x, y), want.At(x, y); {
			case g == w && g:
				b.WriteByte('.')
			case g == w:
				b.WriteByte('#')
			case g:
				b.WriteByte('+') // white, should be black
			default:
				b.WriteByte('-')
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestStream reads images as from a stream of unknown length.
func TestStream(t *testing.T) {
	for _, c := range compressions {
		for _, k := range []pixelKind{pixelKinds[0], pixelKinds[8], pixelKinds[22]} {
			if c.comp == cG4 && k.bps != 1 {
				continue
			}
			t.Run(k.name+"/"+c.name, func(t *testing.T) {
				s := spec{W: 70, H: 33, Photo: k.photo, SPP: k.spp, BPS: k.bps, Comp: c.comp, RPS: 5, Sample: noise(3, k.bps)}
				data := build(s)
				img, err := tiff.Open(streamReader{bytes.NewReader(data)}, -1)
				if err != nil {
					t.Fatal(err)
				}
				got, err := codec.Decode(img)
				if err != nil {
					t.Fatal(err)
				}
				if !got.Equal(expected(s)) {
					t.Fatal("pixels differ")
				}
				// Cut short, it fails instead.
				img, err = tiff.Open(streamReader{bytes.NewReader(data[:len(data)*2/3])}, -1)
				if err == nil {
					_, err = codec.Decode(img)
				}
				if err == nil {
					t.Fatal("a stream cut short decoded without error")
				}
			})
		}
	}
}

// streamReader hides a reader's size.
type streamReader struct{ r *bytes.Reader }

func (s streamReader) ReadAt(p []byte, off int64) (int, error) { return s.r.ReadAt(p, off) }
