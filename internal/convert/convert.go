// Package convert turns the rows of an image into black and white exactly as
// the reference tool does: Pillow 9.4's Image.convert("1").
//
// Pillow first gives an image a mode, which depends on the file (each codec
// decides it), then converts the mode to bits (shared, here):
//
//	1              as it is
//	L              Floyd–Steinberg dithering with Pillow's integer arithmetic
//	P, PA          each palette entry black or white by its luma, no dithering
//	I, I;16, I;16B clipped to 0..255, then as L
//	F              clipped to 0..255 and truncated, then as L
//	RGB, RGBA, LA  integer luma, then as L; alpha is ignored
//	CMYK           to RGB as Pillow does, then as RGB
//
// A Converter takes an image's rows in order, top row first, so that no
// more than a row of the source need be held at a time.
package convert

import (
	"encoding/binary"
	"fmt"
	"image/color"
	"math"

	"github.com/rlec/rlec/internal/bitmap"
)

// Mode is how a row of source pixels is laid out, named as Pillow names its
// modes and raw modes.
type Mode uint8

const (
	// Mode1 is one bit a pixel, packed most significant bit first, 1 for
	// white: bitmap.PackedStride(width) bytes a row.
	Mode1 Mode = iota + 1
	// L is an 8-bit grey level a pixel.
	L
	// P is an 8-bit palette index a pixel.
	P
	// PA is a palette index and an alpha byte a pixel.
	PA
	// LA is a grey level and an alpha byte a pixel.
	LA
	// I is a signed 32-bit grey level a pixel, little-endian.
	I
	// I16 is an unsigned 16-bit grey level a pixel, little-endian (Pillow's
	// "I;16").
	I16
	// I16B is an unsigned 16-bit grey level a pixel, big-endian (Pillow's
	// "I;16B").
	I16B
	// F is a 32-bit IEEE float a pixel, little-endian.
	F
	// RGB is 3 bytes a pixel: red, green, blue.
	RGB
	// RGBA is 4 bytes a pixel: red, green, blue and alpha (or padding, as
	// in Pillow's RGBX), which is ignored.
	RGBA
	// CMYK is 4 bytes a pixel: cyan, magenta, yellow, black.
	CMYK
)

var modeNames = map[Mode]string{
	Mode1: "1", L: "L", P: "P", PA: "PA", LA: "LA", I: "I", I16: "I;16", I16B: "I;16B",
	F: "F", RGB: "RGB", RGBA: "RGBA", CMYK: "CMYK",
}

var modeBytes = map[Mode]int{
	L: 1, P: 1, PA: 2, LA: 2, I: 4, I16: 2, I16B: 2, F: 4, RGB: 3, RGBA: 4, CMYK: 4,
}

func (m Mode) String() string {
	if s, ok := modeNames[m]; ok {
		return s
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// RowBytes is the size of a row of width pixels in mode m.
func (m Mode) RowBytes(width int) int {
	if m == Mode1 {
		return bitmap.PackedStride(width)
	}
	return modeBytes[m] * width
}

// Converter converts the rows of one image, in order, into black and white.
type Converter struct {
	mode  Mode
	width int
	white [256]bool // P and PA: the colour of each palette index
	grey  []uint8   // a row of grey levels, for the modes that dither
	fs    *Ditherer
}

// New returns a converter for an image of the given mode and width. palette
// is the image's palette, for P and PA; an index past its end stands for
// the colour (i, i, i), as Pillow's palettes start as a grey ramp.
func New(mode Mode, width int, palette []color.RGBA) (*Converter, error) {
	if _, ok := modeNames[mode]; !ok {
		return nil, fmt.Errorf("convert: unknown mode %d", mode)
	}
	if width < 0 || width > bitmap.MaxDimension {
		return nil, fmt.Errorf("convert: width %d is outside 0..%d", width, bitmap.MaxDimension)
	}
	c := &Converter{mode: mode, width: width}
	switch mode {
	case Mode1:
	case P, PA:
		c.white = Threshold(palette)
	default:
		c.grey = make([]uint8, width)
		c.fs = NewDitherer(width)
	}
	return c, nil
}

// Mode is the mode the converter takes.
func (c *Converter) Mode() Mode { return c.mode }

// Row converts the next row: src in the converter's mode, at least
// Mode.RowBytes(width) bytes, into dst, a bitmap row of the image's width,
// which it overwrites.
func (c *Converter) Row(dst []uint64, src []byte) {
	w := c.width
	switch c.mode {
	case Mode1:
		bitmap.LoadRow(dst, src, w, false)
		return
	case P:
		c.threshold(dst, src[:w], 1)
		return
	case PA:
		c.threshold(dst, src[:2*w], 2)
		return
	case L:
		c.fs.Row(dst, src[:w])
		return
	}
	g := c.grey
	switch c.mode {
	case LA:
		for x := range g {
			g[x] = src[2*x]
		}
	case I:
		for x := range g {
			g[x] = ClipI(int64(int32(binary.LittleEndian.Uint32(src[4*x:]))))
		}
	case I16:
		for x := range g {
			g[x] = ClipI(int64(binary.LittleEndian.Uint16(src[2*x:])))
		}
	case I16B:
		for x := range g {
			g[x] = ClipI(int64(binary.BigEndian.Uint16(src[2*x:])))
		}
	case F:
		for x := range g {
			g[x] = ClipF(math.Float32frombits(binary.LittleEndian.Uint32(src[4*x:])))
		}
	case RGB:
		for x := range g {
			p := src[3*x : 3*x+3]
			g[x] = Luma(p[0], p[1], p[2])
		}
	case RGBA:
		for x := range g {
			p := src[4*x : 4*x+4]
			g[x] = Luma(p[0], p[1], p[2])
		}
	case CMYK:
		for x := range g {
			p := src[4*x : 4*x+4]
			r, gr, b := CMYKToRGB(p[0], p[1], p[2], p[3])
			g[x] = Luma(r, gr, b)
		}
	}
	c.fs.Row(dst, g)
}

// threshold sets each pixel of dst from its palette index, the first of
// every step bytes of src.
func (c *Converter) threshold(dst []uint64, src []byte, step int) {
	clear(dst)
	for x := 0; x*step < len(src); x++ {
		if c.white[src[x*step]] {
			dst[x>>6] |= 1 << (63 - uint(x&63))
		}
	}
}

// Luma is the grey level Pillow gives a colour, 299·R + 587·G + 114·B over
// 1000, truncated (ITU-R 601-2).
func Luma(r, g, b uint8) uint8 {
	return uint8((299*uint32(r) + 587*uint32(g) + 114*uint32(b)) / 1000)
}

// Threshold gives each palette index its colour, true for white, as Pillow
// converts a "P" image to "1": white when the entry's luma, 299·R + 587·G +
// 114·B, is at least 128000, never dithered. Indices past the palette's end
// stand for (i, i, i).
func Threshold(palette []color.RGBA) [256]bool {
	var white [256]bool
	for i := range white {
		v := uint32(i) * 1000
		if i < len(palette) {
			c := palette[i]
			v = 299*uint32(c.R) + 587*uint32(c.G) + 114*uint32(c.B)
		}
		white[i] = v >= 128000
	}
	return white
}

// OneBit says how the bits of a 1-bit image with a palette become pixels,
// as Threshold makes its two entries white or black: each bit as it is,
// inverted, or, when both entries come out the same, every pixel that
// colour (fill 0 for black or 1 for white; -1 otherwise).
func OneBit(palette []color.RGBA) (invert bool, fill int) {
	white := Threshold(palette)
	switch {
	case white[0] != white[1]:
		return white[0], -1
	case white[0]:
		return false, 1
	}
	return false, 0
}

// ClipI is how an "I" value becomes a grey level: clipped to 0..255, not
// scaled.
func ClipI(v int64) uint8 { return uint8(min(max(v, 0), 255)) }

// ClipF is how an "F" value becomes a grey level: clipped to 0..255 and
// truncated toward zero. NaN is 0.
func ClipF(v float32) uint8 {
	switch {
	case v >= 255:
		return 255
	case v > 0:
		return uint8(v)
	}
	return 0
}

// CMYKToRGB converts as Pillow 9.4 does: nk = 255 - K, and each of R, G, B
// is nk minus its ink scaled by nk, with Pillow's rounding multiply.
func CMYKToRGB(c, m, y, k uint8) (r, g, b uint8) {
	nk := 255 - int(k)
	mul := func(a, b int) int { t := a*b + 128; return (t + t>>8) >> 8 }
	clip := func(v int) uint8 { return uint8(min(max(v, 0), 255)) }
	return clip(nk - mul(int(c), nk)), clip(nk - mul(int(m), nk)), clip(nk - mul(int(y), nk))
}
