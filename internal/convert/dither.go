package convert

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
	clear(dst)
	prev, cur := d.prev, d.cur
	left := int32(0)
	for x, g := range grey {
		s := 7*left + prev[x] + 5*prev[x+1] + 3*prev[x+2]
		v := min(max(int32(g)+s/16, 0), 255)
		if v > 128 {
			dst[x>>6] |= 1 << (63 - uint(x&63))
			v -= 255
		}
		cur[x+1], left = v, v
	}
	d.prev, d.cur = cur, prev
}
