package ccitt

import (
	"encoding/binary"
	"math/bits"
)

// A bitReader reads coded data most significant bit first. Its window acc
// holds the next n bits at its top, and zeros below them; past the end of
// the data it reads zeros, and pos tells how far it has gone, so that a
// decoder can tell a code cut short by the end of the data from a real one.
type bitReader struct {
	data []byte
	i    int    // next byte of data to load; past len(data) once zeros are read
	acc  uint64 // the next n bits, most significant first
	n    uint
}

// refill loads bytes until the window holds at least 56 bits.
func (r *bitReader) refill() {
	if r.n > 56 {
		return
	}
	if r.i+8 <= len(r.data) {
		w := binary.BigEndian.Uint64(r.data[r.i:])
		r.acc |= w >> r.n
		k := (63 - r.n) >> 3 // whole bytes that fit
		r.i += int(k)
		r.n += 8 * k
		r.acc &^= ^uint64(0) >> r.n // the part of a byte that did not fit
		return
	}
	for r.n <= 56 {
		if r.i < len(r.data) {
			r.acc |= uint64(r.data[r.i]) << (56 - r.n)
		}
		r.i++
		r.n += 8
	}
}

// consume drops the next k bits, k <= n.
func (r *bitReader) consume(k uint) {
	r.acc <<= k
	r.n -= k
}

// pos is the number of bits read so far.
func (r *bitReader) pos() int { return 8*r.i - int(r.n) }

// overrun reports whether more bits have been read than the data holds.
func (r *bitReader) overrun() bool { return r.pos() > 8*len(r.data) }

// atEnd reports whether every bit left in the data is zero (or none is
// left): the end of the data, or padding after its last code.
func (r *bitReader) atEnd() bool {
	if r.acc != 0 {
		return false
	}
	if r.i >= len(r.data) {
		return true
	}
	for _, b := range r.data[r.i:] {
		if b != 0 {
			return false
		}
	}
	return true
}

// skipZeros drops zero bits up to the next one bit and returns how many it
// dropped, or -1, having dropped them all, when no one bit is left.
func (r *bitReader) skipZeros() int {
	skipped := 0
	for {
		r.refill()
		if r.acc != 0 {
			z := uint(bits.LeadingZeros64(r.acc))
			r.consume(z)
			return skipped + int(z)
		}
		if r.i >= len(r.data) {
			return -1
		}
		skipped += int(r.n)
		r.consume(r.n)
	}
}

// alignByte drops the bits left in the current byte.
func (r *bitReader) alignByte() { r.consume(r.n & 7) }
