package write

import (
	"encoding/binary"
	"math/bits"
	"slices"

	"github.com/rlec/rlec/internal/bitmap"
)

// appendInverted appends a bitmap row of width pixels as a min-is-white
// TIFF stores it: packed most significant bit first, 1 for black, the
// bits past the width 0.
func appendInverted(dst []byte, row []uint64, width int) []byte {
	words := bitmap.WordsPerRow(width)
	start := len(dst)
	dst = slices.Grow(dst, 8*words)[:start+8*words]
	out := dst[start:]
	for i, w := range row[:words-1] {
		binary.BigEndian.PutUint64(out[8*i:], ^w)
	}
	binary.BigEndian.PutUint64(out[8*(words-1):], ^row[words-1]&bitmap.TailMask(width))
	return dst[:start+bitmap.PackedStride(width)]
}

// appendPackBits appends row coded in PackBits exactly as libtiff codes a
// row (PackBitsEncode), so that the strips are those tiffcp -c packbits
// writes: runs of two or more bytes are runs, up to 128 bytes each, except
// that a run of two between literals joins them; literals are up to 128
// bytes.
func appendPackBits(dst, row []byte) []byte {
	const (
		base       = iota // nothing open
		literal           // a literal is open, its header at lit
		run               // the last code was a run
		literalRun        // a run follows an open literal
	)
	state, lit := base, 0
	for i := 0; i < len(row); {
		b := row[i]
		n := sameBytes(row[i:])
		i += n
	again:
		switch state {
		case base, run:
			if n > 1 {
				state = run
				if n > 128 {
					dst = append(dst, 0x81, b) // a run of 128
					n -= 128
					goto again
				}
				dst = append(dst, byte(1-n), b)
			} else {
				lit = len(dst)
				dst = append(dst, 0, b)
				state = literal
			}
		case literal:
			if n > 1 {
				state = literalRun
				if n > 128 {
					dst = append(dst, 0x81, b)
					n -= 128
					goto again
				}
				dst = append(dst, byte(1-n), b)
			} else {
				dst[lit]++
				if dst[lit] == 127 {
					state = base
				}
				dst = append(dst, b)
			}
		case literalRun:
			// A run of two between literals becomes part of the literal.
			if last := len(dst) - 2; n == 1 && dst[last] == 0xff && dst[lit] < 126 {
				dst[lit] += 2
				state = literal
				if dst[lit] == 127 {
					state = base
				}
				dst[last] = dst[last+1]
			} else {
				state = run
			}
			goto again
		}
	}
	return dst
}

// sameBytes is how many bytes at the start of p, at least one, equal the
// first, found eight at a time.
func sameBytes(p []byte) int {
	b := p[0]
	rep := uint64(b) * 0x0101010101010101
	n := 1
	for n+8 <= len(p) {
		if x := binary.LittleEndian.Uint64(p[n:]) ^ rep; x != 0 {
			return n + bits.TrailingZeros64(x)/8
		}
		n += 8
	}
	for n < len(p) && p[n] == b {
		n++
	}
	return n
}
