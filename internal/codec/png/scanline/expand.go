package scanline

import (
	"encoding/binary"

	"github.com/rlec/rlec/internal/convert"
)

// Layout says how a row of image data becomes a row in the mode Pillow
// opens the image in (package convert names the modes):
//
//	grey 1 bit           1
//	grey 2, 4 bits       L, scaled by 85 and 17
//	grey 8, 16 bits      L, I;16B (I, clipped)
//	palette 1-8 bits     P
//	RGB, RGBA 8, 16 bits RGB, RGBA from the high bytes
//	grey + alpha 8 bits  LA
//	grey + alpha 16 bits RGBA (L, L, L, A) from the high bytes, which
//	                     converts as LA of the high bytes does
type Layout struct {
	Mode convert.Mode
	// Expand writes n pixels of the data row src as a row in Mode, into
	// dst; nil when the data row is one already.
	Expand func(dst, src []byte, n int)
}

// LayoutOf is the layout of the rows of a bit depth and colour type, a
// pair the PNG specification allows.
func LayoutOf(depth, ctype int) Layout {
	switch ctype {
	case Grey:
		switch depth {
		case 1:
			return Layout{Mode: convert.Mode1}
		case 2:
			return Layout{convert.L, Unpacker(2, 85)}
		case 4:
			return Layout{convert.L, Unpacker(4, 17)}
		case 8:
			return Layout{Mode: convert.L}
		}
		return Layout{Mode: convert.I16B}
	case Palette:
		if depth == 8 {
			return Layout{Mode: convert.P}
		}
		return Layout{convert.P, Unpacker(depth, 1)}
	}
	var mode convert.Mode
	switch ctype {
	case RGB:
		mode = convert.RGB
	case GreyAlpha:
		mode = convert.LA
	default:
		mode = convert.RGBA
	}
	if depth == 8 {
		return Layout{Mode: mode}
	}
	k := Channels(ctype)
	return Layout{mode, func(dst, src []byte, n int) { highBytes(dst, src, n*k) }}
}

// Unpacker returns what unpacks samples of a bit depth below 8, most
// significant bits first, each multiplied by scale.
func Unpacker(depth int, scale byte) func(dst, src []byte, n int) {
	perByte := 8 / depth
	mask := byte(1)<<depth - 1
	return func(dst, src []byte, n int) {
		dst = dst[:n]
		for i := 0; i < n; i += perByte {
			b := src[i/perByte]
			for j := i; j < min(i+perByte, n); j++ {
				shift := 8 - depth*(j-i+1)
				dst[j] = (b >> shift & mask) * scale
			}
		}
	}
}

// highBytes keeps the high byte of each of n 16-bit samples.
func highBytes(dst, src []byte, n int) {
	dst = dst[:n]
	for i := range dst {
		dst[i] = src[2*i]
	}
}

// ToGrey writes n pixels of src, a row in mode, as the grey levels the
// mode's conversion dithers: for an image held whole until its rows are
// complete, a byte a pixel whatever its mode.
func ToGrey(dst, src []byte, mode convert.Mode, n int) {
	dst = dst[:n]
	switch mode {
	case convert.L:
		copy(dst, src)
	case convert.I16B:
		for i := range dst {
			dst[i] = convert.ClipI(int64(binary.BigEndian.Uint16(src[2*i:])))
		}
	case convert.LA:
		for i := range dst {
			dst[i] = src[2*i]
		}
	case convert.RGB:
		for i := range dst {
			dst[i] = convert.Luma(src[3*i], src[3*i+1], src[3*i+2])
		}
	case convert.RGBA:
		for i := range dst {
			dst[i] = convert.Luma(src[4*i], src[4*i+1], src[4*i+2])
		}
	}
}
