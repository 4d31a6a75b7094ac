package tiff_test

import (
	"encoding/binary"
	"image/color"
	"math"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/convert"
)

// expected is what the reference makes of the image s describes, worked
// out from its samples as Pillow's unpackers and modes see them (with
// package convert for the conversion to bits), independently of how the
// samples are stored.
func expected(s spec) *bitmap.Bitmap {
	bm, _ := bitmap.New(s.W, s.H)
	photo := s.Photo
	if photo < 0 {
		photo = 0
	}
	if s.BPS == 1 && photo <= 1 {
		for y := range s.H {
			for x := range s.W {
				bm.Set(x, y, (s.Sample(x, y, 0) == 1) != (photo == 0))
			}
		}
		return bm
	}
	var mode convert.Mode
	var palette []color.RGBA
	high := func(v uint64) byte {
		if s.BPS == 16 {
			return byte(v >> 8)
		}
		return byte(v)
	}
	var pixel func(dst []byte, x, y int)
	switch {
	case photo == 3:
		n := 1 << s.BPS
		for i := range n {
			palette = append(palette, color.RGBA{byte(s.ColorMap[i] >> 8), byte(s.ColorMap[n+i] >> 8), byte(s.ColorMap[2*n+i] >> 8), 0xff})
		}
		mode = convert.P
		if s.SPP == 2 {
			mode = convert.PA
		}
		pixel = func(dst []byte, x, y int) {
			for k := range s.SPP {
				dst[k] = byte(s.Sample(x, y, k))
			}
		}
	case photo <= 1 && s.SPP == 2:
		mode = convert.LA
		pixel = func(dst []byte, x, y int) { dst[0], dst[1] = byte(s.Sample(x, y, 0)), byte(s.Sample(x, y, 1)) }
	case photo <= 1 && s.BPS <= 8:
		mode = convert.L
		pixel = func(dst []byte, x, y int) {
			v := byte(s.Sample(x, y, 0) * 255 / (1<<s.BPS - 1))
			if photo == 0 {
				v = 255 - v
			}
			dst[0] = v
		}
	case photo <= 1 && s.BPS == 16 && s.Format != 2:
		mode = convert.I16
		pixel = func(dst []byte, x, y int) { binary.LittleEndian.PutUint16(dst, uint16(s.Sample(x, y, 0))) }
	case photo <= 1 && s.Format == 3:
		mode = convert.F
		pixel = func(dst []byte, x, y int) { binary.LittleEndian.PutUint32(dst, uint32(s.Sample(x, y, 0))) }
	case photo <= 1:
		mode = convert.I
		pixel = func(dst []byte, x, y int) {
			v := int32(s.Sample(x, y, 0))
			if s.BPS == 16 {
				v = int32(int16(s.Sample(x, y, 0)))
			}
			binary.LittleEndian.PutUint32(dst, uint32(v))
		}
	case photo == 2:
		mode = convert.RGB
		premul := len(s.Extra) > 0 && s.Extra[0] == 1
		pixel = func(dst []byte, x, y int) {
			a := int(high(s.Sample(x, y, 3)))
			for k := range 3 {
				c := high(s.Sample(x, y, k))
				if premul {
					c = 0
					if a > 0 {
						c = byte(min(int(high(s.Sample(x, y, k)))*255/a, 255))
					}
				}
				dst[k] = c
			}
		}
	case photo == 5:
		mode = convert.CMYK
		pixel = func(dst []byte, x, y int) {
			for k := range 4 {
				dst[k] = high(s.Sample(x, y, k))
			}
		}
	default:
		panic("no model for this layout")
	}
	conv, err := convert.New(mode, s.W, palette)
	if err != nil {
		panic(err)
	}
	size := mode.RowBytes(1)
	row := make([]byte, mode.RowBytes(s.W))
	for y := range s.H {
		for x := range s.W {
			pixel(row[x*size:], x, y)
		}
		conv.Row(bm.Row(y), row)
	}
	return bm
}

// noise is a deterministic pseudo-random sample source: bits-bit values,
// with a tenth of the pixels at each end of the range.
func noise(seed uint64, bitsPerSample int) func(x, y, s int) uint64 {
	return func(x, y, s int) uint64 {
		h := (uint64(x)*0x9e3779b97f4a7c15 ^ uint64(y)*0xc2b2ae3d27d4eb4f ^ uint64(s)*0x165667b19e3779f9 ^ seed) * 0x2545f4914f6cdd1d
		h ^= h >> 29
		mask := uint64(1)<<bitsPerSample - 1
		switch h % 10 {
		case 0:
			return 0
		case 1:
			return mask
		}
		return (h >> 8) & mask
	}
}

// floats gives float32 samples, as their bits, from -50 to 300.
func floats(seed uint64) func(x, y, s int) uint64 {
	n := noise(seed, 16)
	return func(x, y, s int) uint64 {
		return uint64(math.Float32bits(float32(n(x, y, s))/65535*350 - 50))
	}
}
