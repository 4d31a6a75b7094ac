package png

import (
	"fmt"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/png/scanline"
	"github.com/rlec/rlec/internal/convert"
)

// adam7 is the Adam7 interlacing: each pass's first column and row, and
// the steps between its columns and rows.
var adam7 = [7]struct{ x, y, dx, dy int }{
	{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
	{0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2},
}

// passSize is the size, in pixels, of an interlacing pass over a w×h image.
func passSize(pass, w, h int) (cols, rows int) {
	p := adam7[pass]
	if w > p.x {
		cols = (w - p.x + p.dx - 1) / p.dx
	}
	if h > p.y {
		rows = (h - p.y + p.dy - 1) / p.dy
	}
	return cols, rows
}

// maxDeflateRatio is the most Deflate expands its input.
const maxDeflateRatio = 1032

// passBytes is the size of the image data of an interlaced frame, and of
// its longest row, filter bytes left out.
func passBytes(h *header) (total, longest int64) {
	for pass := range adam7 {
		cols, rows := passSize(pass, h.frame.w, h.frame.h)
		if cols > 0 && rows > 0 {
			n := int64(h.rowBytes(cols))
			total += int64(rows) * (1 + n)
			longest = max(longest, n)
		}
	}
	return total, longest
}

// passRows gives the rows of an interlaced frame's data, pass after pass:
// how many, and the size of each, filter byte and all.
func passRows(h *header) (int, func(int) int) {
	var ends, sizes [7]int // where each pass's rows end, and their size
	n := 0
	for pass := range adam7 {
		cols, rows := passSize(pass, h.frame.w, h.frame.h)
		if cols > 0 && rows > 0 {
			n += rows
			sizes[pass] = 1 + h.rowBytes(cols)
		}
		ends[pass] = n
	}
	return n, func(i int) int {
		for pass, end := range ends {
			if i < end {
				return sizes[pass]
			}
		}
		return 0
	}
}

// checkInterlaced checks that the file can hold the data of an interlaced
// image, which is held whole: Deflate expands its input at most 1032
// times.
func checkInterlaced(s *stream, h *header) error {
	total, _ := passBytes(h)
	if !codec.Available(s.r, s.size, h.dataOff+(total+maxDeflateRatio-1)/maxDeflateRatio) {
		return fmt.Errorf("the file is too small to hold the data of a %dx%d interlaced image", h.width, h.height)
	}
	return nil
}

// decodeInterlaced decodes an interlaced image whole, once checkInterlaced
// has passed it. A 1-bit grey image goes straight into the bitset; any
// other is held as a byte a pixel (palette indices, or the grey levels its
// mode dithers) and converted once complete.
func decodeInterlaced(s *stream, h *header) (*bitmap.Bitmap, error) {
	f := h.frame
	total, maxRow := passBytes(h)
	nrows, rowSize := passRows(h)
	bm, err := bitmap.New(h.width, h.height)
	if err != nil {
		return nil, err
	}
	lay := scanline.LayoutOf(h.depth, h.ctype)
	target := convert.L
	switch lay.Mode {
	case convert.Mode1, convert.P:
		target = lay.Mode
	}
	var pix []byte // target == L or P: the image, a byte a pixel
	if target != convert.Mode1 {
		pix = make([]byte, h.width*h.height)
	}
	var expanded, grey []byte // a pass's row in lay.Mode, and as grey levels
	if lay.Expand != nil {
		expanded = make([]byte, lay.Mode.RowBytes(f.w))
	}
	if target == convert.L && lay.Mode != convert.L {
		grey = make([]byte, f.w)
	}
	rr := newRowReader(s, h, nrows, rowSize, total, int(maxRow))
passes:
	for pass, p := range adam7 {
		cols, rows := passSize(pass, f.w, f.h)
		if cols == 0 || rows == 0 {
			continue
		}
		rr.reset()
		for i := range rows {
			row, err := rr.next(h.rowBytes(cols))
			if err != nil {
				return nil, err
			}
			if rr.ended {
				break passes // the rest of the image stays zero
			}
			y := p.y + i*p.dy
			if target == convert.Mode1 {
				scatterBits(bm.Row(y), row, cols, p.x, p.dx)
				continue
			}
			if lay.Expand != nil {
				lay.Expand(expanded, row, cols)
				row = expanded
			}
			if grey != nil {
				scanline.ToGrey(grey, row, lay.Mode, cols)
				row = grey
			}
			dst := pix[y*h.width:]
			for j, v := range row[:cols] {
				dst[p.x+j*p.dx] = v
			}
		}
	}
	if err := finish(s, h, rr); err != nil {
		return nil, err
	}
	if target == convert.Mode1 {
		return bm, nil
	}
	conv, err := convert.New(target, h.width, h.palette)
	if err != nil {
		return nil, err
	}
	for y := range h.height {
		conv.Row(bm.Row(y), pix[y*h.width:(y+1)*h.width])
	}
	return bm, nil
}

// scatterBits sets the pixels of a bitmap row from n packed bits of src,
// pixel j going to column x0 + j·dx.
func scatterBits(dst []uint64, src []byte, n, x0, dx int) {
	for j := range n {
		if src[j>>3]>>(7-uint(j&7))&1 != 0 {
			x := x0 + j*dx
			dst[x>>6] |= 1 << (63 - uint(x&63))
		}
	}
}
