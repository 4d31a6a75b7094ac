package bmp

import (
	"encoding/binary"
	"fmt"
	"math/bits"

	"github.com/rlec/rlec/internal/convert"
)

// unpackIndices spreads a row of bpp-bit indices, high bits first, one per byte.
func unpackIndices(dst, src []byte, bpp int) {
	if bpp == 8 {
		copy(dst, src)
		return
	}
	perByte, mask := 8/bpp, byte(1<<bpp-1)
	for x := range dst {
		shift := 8 - bpp*(x%perByte+1)
		dst[x] = src[x/perByte] >> shift & mask
	}
}

// widener turns 16, 24 or 32-bit pixels into grey levels (COMPAT.md rule 3).
type widener struct {
	bytesPerPixel int
	shift, max    [3]uint32 // per channel R, G, B: position and largest value
	mask          [3]uint32
	// bytes8 is set when every channel is a whole byte of the pixel:
	// byteOf says which.
	bytes8 bool
	byteOf [3]int
}

func newWidener(h *header) (*widener, error) {
	w := &widener{bytesPerPixel: h.bpp / 8}
	masks := h.masks
	if h.compression == biRGB {
		switch h.bpp {
		case 16:
			masks = [4]uint32{0x7c00, 0x3e0, 0x1f}
		default:
			masks = [4]uint32{0xff0000, 0xff00, 0xff}
		}
	}
	for c := range 3 {
		m := masks[c]
		if m != 0 && bits.OnesCount32(m) != 32-bits.LeadingZeros32(m)-bits.TrailingZeros32(m) {
			return nil, fmt.Errorf("BMP bitfield mask %#x is not contiguous", m)
		}
		w.mask[c] = m
		w.shift[c] = uint32(bits.TrailingZeros32(m))
		if m != 0 {
			w.max[c] = m >> w.shift[c]
		}
	}
	w.bytes8 = true
	for c := range 3 {
		w.byteOf[c] = int(w.shift[c] / 8)
		if w.max[c] != 0xff || w.shift[c]%8 != 0 || w.byteOf[c] >= w.bytesPerPixel {
			w.bytes8 = false
		}
	}
	return w, nil
}

func (w *widener) grey(dst, src []byte) {
	if w.bytes8 {
		// Channels of 8 bits need no widening: the common 24 and 32-bit
		// files take this path.
		for x := range dst {
			p := src[x*w.bytesPerPixel:]
			dst[x] = convert.Luma(p[w.byteOf[0]], p[w.byteOf[1]], p[w.byteOf[2]])
		}
		return
	}
	for x := range dst {
		p := src[x*w.bytesPerPixel:]
		var v uint32
		switch w.bytesPerPixel {
		case 2:
			v = uint32(binary.LittleEndian.Uint16(p))
		case 3:
			v = uint32(p[0]) | uint32(p[1])<<8 | uint32(p[2])<<16
		default:
			v = binary.LittleEndian.Uint32(p)
		}
		var ch [3]uint8
		for c := range 3 {
			if w.max[c] != 0 {
				ch[c] = uint8(uint64(v&w.mask[c]>>w.shift[c]) * 255 / uint64(w.max[c]))
			}
		}
		dst[x] = convert.Luma(ch[0], ch[1], ch[2])
	}
}
