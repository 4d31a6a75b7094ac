package rle

import (
	"io"
	"math/bits"
	"slices"

	"github.com/rlec/rlec/internal/bitmap"
)

// AppendRow appends the runs of one row of width pixels to dst. Runs are
// found a 64-bit word at a time with bits.LeadingZeros64; no pixel is
// visited on its own.
func AppendRow(dst []byte, row []uint64, width int) []byte {
	dst = slices.Grow(dst, width) // the worst case is a byte per pixel
	for start := 0; start < width; start += ChunkWidth {
		end := min(start+ChunkWidth, width)
		for x := start; x < end; {
			white := row[x>>6] >> (63 - uint(x&63)) & 1
			n := runEnd(row, x, end, white) - x
			dst = append(dst, byte(white<<7)|byte(n))
			x += n
		}
	}
	return dst
}

// runEnd returns the position of the first pixel after x, and before end,
// that is not white (white == 1) or black (white == 0); end if there is none.
func runEnd(row []uint64, x, end int, white uint64) int {
	flip := -white // all ones for a white run: XOR makes the run's pixels zero
	w := (row[x>>6] ^ flip) << uint(x&63)
	if w != 0 {
		return min(x+bits.LeadingZeros64(w), end)
	}
	for x = (x | 63) + 1; x < end; x += 64 {
		if w = row[x>>6] ^ flip; w != 0 {
			return min(x+bits.LeadingZeros64(w), end)
		}
	}
	return end
}

// AppendRows appends the runs of rows [y0, y1) of bm to dst.
func AppendRows(dst []byte, bm *bitmap.Bitmap, y0, y1 int) []byte {
	for y := y0; y < y1; y++ {
		dst = AppendRow(dst, bm.Row(y), bm.Width)
	}
	return dst
}

// flushSize is how much encoded data is gathered before a write.
const flushSize = 256 << 10

// Encode writes bm to w in .rle form, row after row on this goroutine.
func Encode(w io.Writer, bm *bitmap.Bitmap) error {
	if err := checkSize(bm); err != nil {
		return err
	}
	buf := AppendHeader(make([]byte, 0, flushSize+bm.Width), bm.Width, bm.Height)
	for y := range bm.Height {
		buf = AppendRow(buf, bm.Row(y), bm.Width)
		if len(buf) >= flushSize {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	_, err := w.Write(buf)
	return err
}
