package ccitt

import (
	"math/bits"

	"github.com/rlec/rlec/internal/bitmap"
)

// A row is handled as its changing elements: the positions where a pixel
// differs from the one before it, the pixel before the first being white.
// Both codings describe rows that way, and a page's rows have few of them.

// fillRow writes into dst the row of width pixels whose colour changes at
// the positions of changes: white from 0, black from changes[0], white
// from changes[1], and so on. Bits past the width are cleared.
//
// It works on words, without a branch per run: each change flips its word
// from its pixel on, and then each word is flipped again when the pixel
// before it is black, which carries the colour from word to word. Words
// before the first change are white and words after the last one take
// the last colour, so a short mark costs little in a long row.
func fillRow(dst []uint64, changes []int32, width int) {
	nw := bitmap.WordsPerRow(width)
	dst = dst[:nw]
	if len(changes) == 0 {
		bitmap.FillRow(dst, width, true)
		return
	}
	lo, hi := int(changes[0]>>6), int(changes[len(changes)-1]>>6)
	for i := range dst[:lo] {
		dst[i] = ^uint64(0)
	}
	mid := dst[lo : hi+1]
	clear(mid)
	for _, c := range changes {
		dst[c>>6] ^= ^uint64(0) >> uint(c&63)
	}
	carry := ^uint64(0) // the colour of the pixel before the word, all bits
	for i, v := range mid {
		v ^= carry
		mid[i] = v
		carry = -(v & 1)
	}
	for i := range dst[hi+1:] {
		dst[hi+1+i] = carry
	}
	dst[nw-1] &= bitmap.TailMask(width)
}

// appendChanges appends the changing elements of a row of width pixels to
// dst. XOR-ing each word with itself shifted by one pixel leaves a set bit
// wherever a pixel differs from the one before it, and
// bits.LeadingZeros64 walks those bits in order, so a white word costs a
// few operations. Bits of row past the width are ignored.
func appendChanges(dst []int32, row []uint64, width int) []int32 {
	nw := bitmap.WordsPerRow(width)
	prev := uint64(1) // the white pixel before the row
	for i, w := range row[:nw-1] {
		t := w ^ (w>>1 | prev<<63)
		prev = w & 1
		for t != 0 {
			k := bits.LeadingZeros64(t)
			t &^= 1 << uint(63-k)
			dst = append(dst, int32(i<<6+k))
		}
	}
	// The last word, where the pixels past the width count as black: the
	// only change they can make is at the width itself, which is dropped.
	w := row[nw-1] & bitmap.TailMask(width)
	t := w ^ (w>>1 | prev<<63)
	for t != 0 {
		k := bits.LeadingZeros64(t)
		t &^= 1 << uint(63-k)
		x := (nw-1)<<6 + k
		if x >= width {
			break
		}
		dst = append(dst, int32(x))
	}
	return dst
}
