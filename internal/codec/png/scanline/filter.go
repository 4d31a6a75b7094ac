package scanline

import (
	"encoding/binary"
	"fmt"
)

// PNG row filters.
const (
	ftNone    = 0
	ftSub     = 1
	ftUp      = 2
	ftAverage = 3
	ftPaeth   = 4
)

// Unfilter undoes filter ft on row cur, given the row before it, prev (all
// zero for a pass's first row), both without their filter byte. bpp is the
// filter unit: a whole pixel's bytes, at least one.
func Unfilter(ft byte, cur, prev []byte, bpp int) error {
	prev = prev[:len(cur)]
	switch ft {
	case ftNone:
	case ftSub:
		for i := bpp; i < len(cur); i++ {
			cur[i] += cur[i-bpp]
		}
	case ftUp:
		addBytes(cur, prev)
	case ftAverage:
		for i := 0; i < bpp && i < len(cur); i++ {
			cur[i] += prev[i] / 2
		}
		for i := bpp; i < len(cur); i++ {
			cur[i] += uint8((int(cur[i-bpp]) + int(prev[i])) / 2)
		}
	case ftPaeth:
		for start := range min(bpp, len(cur)) {
			unpaeth(cur, prev, start, bpp)
		}
	default:
		return fmt.Errorf("unknown filter type %d", ft)
	}
	return nil
}

// unpaeth undoes the Paeth filter on the bytes start, start+bpp, ... of
// cur. Each is predicted from a (left), b (above) and c (above left): the
// one nearest a + b - c, ties going to a, then b. The left and above-left
// bytes are carried from byte to byte in registers.
func unpaeth(cur, prev []byte, start, bpp int) {
	var a, c int // outside the row, both are zero
	for i := start; i < len(cur); i += bpp {
		b := int(prev[i])
		pa, pb := b-c, a-c
		pc := abs(pa + pb)
		pa, pb = abs(pa), abs(pb)
		switch {
		case pa <= pb && pa <= pc:
		case pb <= pc:
			a = b
		default:
			a = c
		}
		a = (a + int(cur[i])) & 0xff
		cur[i] = byte(a)
		c = b
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// addBytes adds src to dst byte by byte, modulo 256, eight bytes at a time:
// the Up filter, which is what most rows of a filtered page use.
func addBytes(dst, src []byte) {
	src = src[:len(dst)]
	for len(dst) >= 32 {
		d, s := (*[32]byte)(dst), (*[32]byte)(src)
		for k := 0; k < 32; k += 8 {
			a := binary.LittleEndian.Uint64(d[k:])
			b := binary.LittleEndian.Uint64(s[k:])
			binary.LittleEndian.PutUint64(d[k:], addLanes(a, b))
		}
		dst, src = dst[32:], src[32:]
	}
	for len(dst) >= 8 {
		a := binary.LittleEndian.Uint64(dst)
		binary.LittleEndian.PutUint64(dst, addLanes(a, binary.LittleEndian.Uint64(src)))
		dst, src = dst[8:], src[8:]
	}
	for i := range dst {
		dst[i] += src[i]
	}
}

// addLanes adds the eight bytes of a and b, each modulo 256: the low seven
// bits of each byte added, and the top bits put back with XOR, so no carry
// crosses from one byte into the next.
func addLanes(a, b uint64) uint64 {
	const high = 0x8080808080808080
	return ((a &^ high) + (b &^ high)) ^ ((a ^ b) & high)
}
