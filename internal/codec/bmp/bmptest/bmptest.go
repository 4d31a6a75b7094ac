// Package bmptest builds BMP files in code, so tests need no image files.
package bmptest

import (
	"bytes"
	"encoding/binary"
	"image/color"
)

// Spec describes a BMP to build: an uncompressed BITMAPINFOHEADER file.
type Spec struct {
	Width, Height int
	BitsPerPixel  int // 1, 4, 8 (paletted) or 24
	Palette       []color.RGBA
	TopDown       bool
	// Pixel gives the palette index (paletted) or the colour (24-bit, as
	// 0xRRGGBB) of pixel (x, y), y counted from the top.
	Pixel func(x, y int) uint32
	// Padding fills the bits of each row past its last pixel. Readers must
	// ignore them; most writers zero them, some leave whatever was there.
	Padding byte
}

// BlackWhite is the palette whose index is the pixel: 0 black, 1 white.
var BlackWhite = []color.RGBA{{A: 0xff}, {R: 0xff, G: 0xff, B: 0xff, A: 0xff}}

// WhiteBlack is the book's palette, which inverts the raw index.
var WhiteBlack = []color.RGBA{{R: 0xff, G: 0xff, B: 0xff, A: 0xff}, {A: 0xff}}

// Build returns the file's bytes.
func Build(s Spec) []byte {
	stride := (s.Width*s.BitsPerPixel + 31) / 32 * 4
	offset := 14 + 40 + 4*len(s.Palette)
	le32 := binary.LittleEndian.AppendUint32
	b := []byte{'B', 'M'}
	b = le32(b, uint32(offset+stride*s.Height))
	b = le32(b, 0)
	b = le32(b, uint32(offset))
	b = le32(b, 40)
	b = le32(b, uint32(s.Width))
	h := int32(s.Height)
	if s.TopDown {
		h = -h
	}
	b = le32(b, uint32(h))
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint16(b, uint16(s.BitsPerPixel))
	b = le32(b, 0)
	b = le32(b, uint32(stride*s.Height))
	b = le32(b, 2835)
	b = le32(b, 2835)
	b = le32(b, uint32(len(s.Palette)))
	b = le32(b, 0)
	for _, c := range s.Palette {
		b = append(b, c.B, c.G, c.R, 0)
	}
	for i := range s.Height {
		y := s.Height - 1 - i
		if s.TopDown {
			y = i
		}
		row := bytes.Repeat([]byte{s.Padding}, stride)
		for x := range s.Width {
			v := s.Pixel(x, y)
			switch s.BitsPerPixel {
			case 24:
				row[3*x], row[3*x+1], row[3*x+2] = byte(v), byte(v>>8), byte(v>>16)
			default:
				bit := x * s.BitsPerPixel
				shift := 8 - s.BitsPerPixel - bit%8
				mask := byte(1<<s.BitsPerPixel-1) << shift
				row[bit/8] = row[bit/8]&^mask | byte(v)<<shift&mask
			}
		}
		b = append(b, row...)
	}
	return b
}
