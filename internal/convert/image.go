package convert

import (
	"fmt"
	"image"
	"image/color"

	"github.com/rlec/rlec/internal/bitmap"
)

// Image converts an image decoded by the standard library or
// golang.org/x/image into black and white. The image's type gives its mode:
//
//	*image.Paletted            P (the stored colour of each entry: alpha ignored)
//	*image.Gray                L
//	*image.Gray16              I (clipped)
//	*image.NRGBA, *image.RGBA  RGB, the stored colour as it is, alpha ignored
//	*image.NRGBA64, *image.RGBA64  RGB from the high byte of each sample
//	*image.CMYK                CMYK
//
// A decoder that gives a premultiplied *image.RGBA for a file that stores
// straight colour with alpha has already lost the colours Pillow keeps:
// such codecs must not use it.
func Image(img image.Image) (*bitmap.Bitmap, error) {
	b := img.Bounds()
	bm, err := bitmap.New(b.Dx(), b.Dy())
	if err != nil {
		return nil, err
	}
	w, h := bm.Width, bm.Height
	var mode Mode
	var palette []color.RGBA
	var pix []uint8
	var stride, bpp int
	switch m := img.(type) {
	case *image.Paletted:
		mode, pix, stride, bpp = P, m.Pix, m.Stride, 1
		palette = StoredPalette(m.Palette)
	case *image.Gray:
		mode, pix, stride, bpp = L, m.Pix, m.Stride, 1
	case *image.Gray16:
		mode, pix, stride, bpp = I16B, m.Pix, m.Stride, 2
	case *image.NRGBA:
		mode, pix, stride, bpp = RGBA, m.Pix, m.Stride, 4
	case *image.RGBA:
		mode, pix, stride, bpp = RGBA, m.Pix, m.Stride, 4
	case *image.CMYK:
		mode, pix, stride, bpp = CMYK, m.Pix, m.Stride, 4
	case *image.NRGBA64:
		return highBytes(bm, m.Pix, m.Stride)
	case *image.RGBA64:
		return highBytes(bm, m.Pix, m.Stride)
	default:
		return nil, fmt.Errorf("convert: unexpected decoded image type %T", img)
	}
	c, err := New(mode, w, palette)
	if err != nil {
		return nil, err
	}
	for y := range h {
		off := y * stride
		c.Row(bm.Row(y), pix[off:off+w*bpp])
	}
	return bm, nil
}

// highBytes converts 16-bit RGBA samples, big-endian, by their high bytes.
func highBytes(bm *bitmap.Bitmap, pix []uint8, stride int) (*bitmap.Bitmap, error) {
	c, err := New(RGBA, bm.Width, nil)
	if err != nil {
		return nil, err
	}
	row := make([]byte, 4*bm.Width)
	for y := range bm.Height {
		src := pix[y*stride:]
		for i := range row {
			row[i] = src[2*i]
		}
		c.Row(bm.Row(y), row)
	}
	return bm, nil
}

// StoredPalette returns the colours a palette stores, without the
// premultiplication color.Color.RGBA applies: an entry marked transparent
// keeps the colour it was stored with, which is what Pillow converts.
func StoredPalette(p color.Palette) []color.RGBA {
	out := make([]color.RGBA, len(p))
	for i, c := range p {
		switch c := c.(type) {
		case color.NRGBA:
			out[i] = color.RGBA{R: c.R, G: c.G, B: c.B, A: 0xff}
		case color.RGBA:
			out[i] = color.RGBA{R: c.R, G: c.G, B: c.B, A: 0xff}
		default:
			n := color.NRGBAModel.Convert(c).(color.NRGBA)
			out[i] = color.RGBA{R: n.R, G: n.G, B: n.B, A: 0xff}
		}
	}
	return out
}
