package convert

import "github.com/rlec/rlec/internal/bitmap"

// Ditherer turns rows of grey levels into black and white by Floyd–Steinberg
// dithering with the reference's integer arithmetic (Pillow 9.4, as
// docs/compatibility.md gives it). Each pixel's error goes 7/16 to the
// right, 3/16 below left, 5/16 below and 1/16 below right; the incoming
// error is summed as integers and divided by 16 once, truncating; a pixel
// is white when its clamped value is over 128. Rows are given in order,
// top row first; two rows of error are all it keeps.
type Ditherer struct {
	// prev[x+1] is the error of pixel x in the row above; prev[0] and
	// prev[w+1] stay zero, standing for the neighbours outside the image.
	prev, cur []int32
}

// NewDitherer returns a ditherer for rows of width pixels.
func NewDitherer(width int) *Ditherer {
	return &Ditherer{prev: make([]int32, width+2), cur: make([]int32, width+2)}
}

// Row dithers the next row, grey, into dst, a bitmap row as wide, which it
// overwrites.
func (d *Ditherer) Row(dst []uint64, grey []uint8) {
	w := len(grey)
	prev, cur := d.prev[:w+2], d.cur[:w+2]
	left := int32(0)
	x := 0
	for ; x+64 <= w; x += 64 {
		dst[x>>6], left = ditherWord((*[64]uint8)(grey[x:]), (*[66]int32)(prev[x:]), (*[64]int32)(cur[x+1:]), left)
	}
	if x < w { // the last, short word, through a full one's buffers
		var g [64]uint8
		var p [66]int32
		var c [64]int32
		copy(g[:], grey[x:])
		copy(p[:], prev[x:])
		word, _ := ditherWord(&g, &p, &c, left)
		copy(cur[x+1:w+1], c[:])
		dst[x>>6] = word & bitmap.TailMask(w)
	}
	d.prev, d.cur = cur, prev
}

// ditherWord dithers 64 pixels, grey, whose neighbours above are prev (the
// one before them first) into a word of pixels, leaving their errors in cur
// and returning the last one's.
//
// The loop is written for the one chain of work each pixel waits on, from
// the error of the pixel before to its own: arrays of fixed length, so that
// nothing is bounds-checked and its few variables all stay in registers, and
// whether a pixel is white computed rather than branched on, since in grey
// areas it changes from one pixel to the next and a branch would be
// mispredicted half the time.
func ditherWord(grey *[64]uint8, prev *[66]int32, cur *[64]int32, left int32) (uint64, int32) {
	var word uint64
	for i := range 64 {
		s := 7*left + (prev[i] + 5*prev[i+1] + 3*prev[i+2]) // the row above first: it waits on nothing
		u := int32(grey[i]) + s/16
		// White when u, clamped or not, is over 128: worked out beside the
		// clamp, not after it, to keep the chain from pixel to pixel short.
		white := (128 - u) >> 31 // all ones when white
		left = min(max(u, 0), 255) - 255&white
		cur[i] = left
		word = word<<1 | uint64(-white)
	}
	return word, left
}
