package zstream

import "encoding/binary"

// Adler is the Adler-32 checksum of a zlib stream. hash/adler32 adds a
// byte at a time, each sum waiting on the one before, which on a bilevel
// page costs as much as a good part of the inflating; this adds bytes in
// 16-bit lanes of a word, eight at a time, and gathers the lanes every 128
// bytes.
type Adler struct{ s1, s2 uint32 }

const (
	adlerMod = 65521
	// adlerBlock bytes can be summed in 64 bits before reducing: the
	// weighted sum grows as the square of the block's length.
	adlerBlock = 1 << 20
	// lanes masks the even bytes of a word, each in a 16-bit lane.
	lanes = 0x00ff00ff00ff00ff
)

// NewAdler returns the checksum of no data.
func NewAdler() Adler { return Adler{s1: 1} }

// Sum32 returns the checksum of the data written so far.
func (a *Adler) Sum32() uint32 { return a.s2<<16 | a.s1 }

// Write adds p, and never fails. Over n bytes b_0 .. b_n-1, s1 gains
// their sum, and s2 gains n·s1 plus Σ (n-k)·b_k: each byte counts once for
// every sum from its own on.
func (a *Adler) Write(p []byte) (int, error) {
	written := len(p)
	for len(p) > 0 {
		q := p[:min(len(p), adlerBlock)]
		p = p[len(q):]
		n := uint64(len(q))
		var sum, weighted uint64 // Σ b_k, and Σ (n-k)·b_k so far
		for len(q) >= 128 {
			// Sixteen words, in lanes: the sums of byte pairs, the sums
			// of those before each word, and the first bytes of pairs.
			// No lane passes 16 bits: 16·510 and 120·510 at most.
			var pairs, before, evens uint64
			for i := 0; i < 128; i += 16 {
				x, y := binary.LittleEndian.Uint64(q[i:]), binary.LittleEndian.Uint64(q[i+8:])
				ex, ey := x&lanes, y&lanes
				px, py := ex+x>>8&lanes, ey+y>>8&lanes
				before += 2*pairs + px
				pairs += px + py
				evens += ex + ey
			}
			// A pair in lane j of a word has its first byte 8-2j bytes
			// from the word's end, its second 7-2j; each word's sum counts
			// 8 times for each word after it.
			weighted += 128*sum + 8*hsum(before) + weigh(pairs) + hsum(evens)
			sum += hsum(pairs)
			q = q[128:]
		}
		for _, b := range q {
			sum += uint64(b)
			weighted += sum
		}
		s1 := uint64(a.s1)
		a.s2 = uint32((uint64(a.s2) + n*s1 + weighted) % adlerMod)
		a.s1 = uint32((s1 + sum) % adlerMod)
	}
	return written, nil
}

// hsum adds the four 16-bit lanes of x.
func hsum(x uint64) uint64 {
	return x&0xffff + x>>16&0xffff + x>>32&0xffff + x>>48
}

// weigh adds the four 16-bit lanes of x times 7, 5, 3 and 1, lowest lane
// first.
func weigh(x uint64) uint64 {
	return 7*(x&0xffff) + 5*(x>>16&0xffff) + 3*(x>>32&0xffff) + x>>48
}
