package bitmap

import (
	"fmt"
	"image"
	"image/color"
)

// paletteRule is how COMPAT.md rule 2 maps a palette's indices to pixels.
type paletteRule int

const (
	ruleIndex     paletteRule = iota // exactly [black, white]: the pixel is its index
	ruleDither                       // identity greyscale: the index is a grey level, dithered
	ruleThreshold                    // anything else: each entry is black or white by its luma
)

func classifyPalette(p []color.RGBA) paletteRule {
	black, white := color.RGBA{A: 0xff}, color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	if len(p) == 2 {
		if p[0] == black && p[1] == white {
			return ruleIndex
		}
		return ruleThreshold
	}
	for i, c := range p {
		if c.R != uint8(i) || c.G != uint8(i) || c.B != uint8(i) {
			return ruleThreshold
		}
	}
	return ruleDither
}

// thresholdTable gives each palette index its colour (true = white) under
// ruleIndex or ruleThreshold. Indices past the palette are black.
func thresholdTable(p []color.RGBA, rule paletteRule) [256]bool {
	var lut [256]bool
	for i, c := range p {
		if rule == ruleIndex {
			lut[i] = i == 1
		} else {
			lut[i] = luma1000(c.R, c.G, c.B) >= 128000
		}
	}
	return lut
}

// luma1000 is 1000 times the ITU-R 601 luma Pillow uses for "L" and "1".
func luma1000(r, g, b uint8) int {
	return 299*int(r) + 587*int(g) + 114*int(b)
}

// convert turns a decoded image into black and white by COMPAT.md.
func convert(img image.Image) (*Bitmap, error) {
	b := img.Bounds()
	bm, err := New(b.Dx(), b.Dy())
	if err != nil {
		return nil, err
	}
	w := bm.Width
	switch m := img.(type) {
	case *image.Paletted:
		rule := classifyPalette(paletteRGBA(m.Palette))
		if rule == ruleDither { // the index is the grey level
			dither(bm, func(y int) []uint8 { return m.Pix[y*m.Stride : y*m.Stride+w] })
			return bm, nil
		}
		lut := thresholdTable(paletteRGBA(m.Palette), rule)
		for y := range bm.Height {
			row := bm.Row(y)
			for x, idx := range m.Pix[y*m.Stride : y*m.Stride+w] {
				if lut[idx] {
					row[x>>6] |= 1 << (63 - uint(x&63))
				}
			}
		}
	case *image.Gray:
		dither(bm, func(y int) []uint8 { return m.Pix[y*m.Stride : y*m.Stride+w] })
	case *image.RGBA:
		ditherRGBA(bm, m.Pix, m.Stride)
	case *image.NRGBA: // BMP alpha is ignored, so straight RGB is what we want
		ditherRGBA(bm, m.Pix, m.Stride)
	default:
		return nil, fmt.Errorf("unexpected decoded image type %T", img)
	}
	return bm, nil
}

func paletteRGBA(p color.Palette) []color.RGBA {
	out := make([]color.RGBA, len(p))
	for i, c := range p {
		r, g, b, _ := c.RGBA()
		out[i] = color.RGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0xff}
	}
	return out
}

// ditherRGBA dithers 4-byte RGBx pixels by their integer luma (rule 3).
func ditherRGBA(bm *Bitmap, pix []uint8, stride int) {
	grey := make([]uint8, bm.Width)
	dither(bm, func(y int) []uint8 {
		p := pix[y*stride:]
		for x := range grey {
			grey[x] = uint8(luma1000(p[4*x], p[4*x+1], p[4*x+2]) / 1000)
		}
		return grey
	})
}

// dither sets bm's pixels from grey levels by Floyd–Steinberg with the
// reference's integer arithmetic (COMPAT.md rule 4). grey(y) returns row y,
// top row first; rows are asked for in order.
func dither(bm *Bitmap, grey func(y int) []uint8) {
	w := bm.Width
	// prev[x+1] is the error of pixel x in the row above; prev[0] and
	// prev[w+1] stay zero, standing for the neighbours outside the image.
	prev, cur := make([]int32, w+2), make([]int32, w+2)
	for y := range bm.Height {
		g, row := grey(y), bm.Row(y)
		left := int32(0)
		for x := range w {
			s := 7*left + prev[x] + 5*prev[x+1] + 3*prev[x+2]
			v := min(max(int32(g[x])+s/16, 0), 255)
			if v > 128 {
				row[x>>6] |= 1 << (63 - uint(x&63))
				v -= 255
			}
			cur[x+1], left = v, v
		}
		prev, cur = cur, prev
	}
}
