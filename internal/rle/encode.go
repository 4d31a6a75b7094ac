package rle

import (
	"fmt"
	"io"
	"math/bits"
	"slices"

	"github.com/rlec/rlec/internal/bitmap"
)

// AppendRow appends the runs of one row of width pixels to dst. The bits of
// row past width must be zero, as they are in a bitmap.Bitmap.
//
// It works on transitions, not pixels: XOR-ing each word with itself shifted
// by one pixel leaves a set bit wherever a pixel differs from the one before
// it, and bits.LeadingZeros64 walks those bits in order. Each transition ends
// a run; a run is cut again only where it crosses the end of a 127-pixel
// chunk. A page that is mostly paper costs a few operations per word and one
// byte store per chunk.
//
// Past width the row is black, so the only transition there is at width
// itself, after a white last pixel; it ends the last run like any other, and
// the row needs no mask. Keeping the loop's variables few keeps them all in
// registers.
func AppendRow(dst []byte, row []uint64, width int) []byte {
	if width == 0 {
		return dst
	}
	dst = slices.Grow(dst, width) // the worst case is a byte per pixel
	if isBlank(row, width) {      // most rows of a page
		return appendBlank(dst, width)
	}
	return dst[:len(dst)+putRuns(dst[len(dst):len(dst)+width], row, width)]
}

// isBlank reports whether a row of width pixels is all white. It tests four
// words at a time, AND-ed together: a blank row is read whole, and most rows
// are blank.
func isBlank(row []uint64, width int) bool {
	const white = ^uint64(0)
	last := len(row) - 1
	body := row[:last]
	for ; len(body) >= 4; body = body[4:] {
		if body[0]&body[1]&body[2]&body[3] != white {
			return false
		}
	}
	for _, w := range body {
		if w != white {
			return false
		}
	}
	return row[last] == bitmap.TailMask(width)
}

// putRuns writes the runs of row into out, which has room for them, and
// returns how many it wrote. It is AppendRow's loop, on its own so that
// nothing of dst is live in it.
func putRuns(out []byte, row []uint64, width int) int {
	n := 0
	start := 0                         // first pixel of the current run
	chunkEnd := min(ChunkWidth, width) // end of the chunk holding start
	colour := byte(row[0]>>63) << 7    // the current run's value, as bit 7
	prev := row[0] >> 63               // the pixel before the word, for its first bit
	for i, w := range row {
		t := w ^ (w>>1 | prev<<63) // bit 63-k set: pixel 64i+k differs from pixel 64i+k-1
		prev = w & 1
		for t != 0 {
			k := bits.LeadingZeros64(t)
			t &^= 1 << (63 - uint(k))
			end := i<<6 + k
			// Emit [start, end), cutting it at chunk ends.
			for end > chunkEnd {
				out[n] = colour | byte(chunkEnd-start)
				n++
				start, chunkEnd = chunkEnd, min(chunkEnd+ChunkWidth, width)
			}
			out[n] = colour | byte(end-start)
			n++
			if end == chunkEnd {
				chunkEnd = min(chunkEnd+ChunkWidth, width)
			}
			start = end
			colour ^= whiteBit
		}
	}
	for start < width { // the last run, to the end of the row
		out[n] = colour | byte(chunkEnd-start)
		n++
		start, chunkEnd = chunkEnd, min(chunkEnd+ChunkWidth, width)
	}
	return n
}

// AppendRows appends the runs of every row of bm (a whole image, or a band
// of one) to dst.
func AppendRows(dst []byte, bm *bitmap.Bitmap) []byte {
	for y := range bm.Height {
		dst = AppendRow(dst, bm.Row(y), bm.Width)
	}
	return dst
}

// FlushSize is how much encoded data a Writer gathers before a write.
const FlushSize = 256 << 10

// Writer writes an image in .rle form, band by band, top row first,
// gathering the encoded rows into writes of about FlushSize.
type Writer struct {
	w     io.Writer
	width int
	buf   []byte
}

// NewWriter starts a .rle file of a width×height image on w. buf is memory
// the writer may use (it is returned by Close), or nil.
func NewWriter(w io.Writer, width, height int, buf []byte) (*Writer, error) {
	if width > bitmap.MaxDimension || height > bitmap.MaxDimension || width < 1 || height < 1 {
		return nil, fmt.Errorf("image is %dx%d; the .rle format holds 1x1 to %dx%d", width, height, bitmap.MaxDimension, bitmap.MaxDimension)
	}
	buf = slices.Grow(buf[:0], FlushSize+width)
	return &Writer{w: w, width: width, buf: AppendHeader(buf, width, height)}, nil
}

// WriteRows encodes the rows of band, which is as wide as the image.
func (e *Writer) WriteRows(band *bitmap.Bitmap) error {
	for y := range band.Height {
		e.buf = AppendRow(e.buf, band.Row(y), e.width)
		if len(e.buf) >= FlushSize {
			if _, err := e.w.Write(e.buf); err != nil {
				return err
			}
			e.buf = e.buf[:0]
		}
	}
	return nil
}

// Close writes what is left. It does not close the underlying writer.
func (e *Writer) Close() error {
	_, err := e.w.Write(e.buf)
	e.buf = e.buf[:0]
	return err
}

// Buffer returns the writer's memory, for reuse once it is done.
func (e *Writer) Buffer() []byte { return e.buf[:0] }

// Encode writes bm to w in .rle form.
func Encode(w io.Writer, bm *bitmap.Bitmap) error {
	e, err := NewWriter(w, bm.Width, bm.Height, nil)
	if err != nil {
		return err
	}
	if err := e.WriteRows(bm); err != nil {
		return err
	}
	return e.Close()
}
