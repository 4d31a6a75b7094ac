package rle

import (
	"fmt"

	"github.com/rlec/rlec/internal/bitmap"
)

// Stats describes a well-formed stream.
type Stats struct {
	Header
	Bytes  int64 // whole file, header included
	Runs   int64
	Chunks int64
	// NonCanonical counts runs that continue the previous run's value inside
	// the same chunk: valid, but never written by a correct encoder.
	NonCanonical int64
	// FirstNonCanonical is the offset of the first such run (0 when none).
	FirstNonCanonical int64
}

// Decode parses a whole .rle file strictly (FORMAT.md, "Reading strictly").
// Its errors are *Error values naming the byte offset. The body's size is
// checked against the header before the image is allocated, so the
// allocation is never more than 16 times the file's size.
func Decode(data []byte) (*bitmap.Bitmap, error) {
	var st Stats
	return walk(data, true, &st)
}

// Scan checks data as strictly as Decode and counts its runs, without
// building the image.
func Scan(data []byte) (Stats, error) {
	var st Stats
	_, err := walk(data, false, &st)
	return st, err
}

// walk checks data and fills st; with build it also returns the image.
func walk(data []byte, build bool, st *Stats) (*bitmap.Bitmap, error) {
	h, err := ParseHeader(data)
	if err != nil {
		return nil, err
	}
	st.Header, st.Bytes = h, int64(len(data))
	st.Chunks = int64(h.Height) * int64(ChunksPerRow(h.Width))
	if minBody, _ := h.BodyBounds(); int64(len(data)-HeaderSize) < minBody {
		return nil, &Error{Offset: int64(len(data)), Msg: fmt.Sprintf(
			"truncated: a %dx%d image needs at least %d bytes of runs, the file has %d",
			h.Width, h.Height, minBody, len(data)-HeaderSize)}
	}
	var bm *bitmap.Bitmap
	if build {
		if bm, err = bitmap.New(h.Width, h.Height); err != nil {
			return nil, err
		}
	}
	pos := HeaderSize
	for y := range h.Height {
		var row []uint64
		if build {
			row = bm.Row(y)
		}
		if pos, err = decodeRow(data, pos, row, h.Width, y, st); err != nil {
			return nil, err
		}
	}
	if pos != len(data) {
		return nil, &Error{Offset: int64(pos), Msg: fmt.Sprintf("trailing data: %d bytes after the last row", len(data)-pos)}
	}
	return bm, nil
}

// decodeRow reads the runs of row y starting at data[pos] and sets its white
// pixels in row (when row is not nil). It returns the position after the row.
func decodeRow(data []byte, pos int, row []uint64, width, y int, st *Stats) (int, error) {
	for start := 0; start < width; start += ChunkWidth {
		end := min(start+ChunkWidth, width)
		prev := byte(0xff) // no run yet in this chunk
		for x := start; x < end; {
			if pos >= len(data) {
				return pos, &Error{Offset: int64(pos), Msg: fmt.Sprintf("truncated: the file ends in row %d at pixel %d of %d", y, x, width)}
			}
			b := data[pos]
			n := int(b & lenMask)
			if n == 0 {
				return pos, &Error{Offset: int64(pos), Msg: fmt.Sprintf("run byte %#02x has length 0 (row %d, pixel %d)", b, y, x)}
			}
			if x+n > end {
				return pos, &Error{Offset: int64(pos), Msg: fmt.Sprintf("run of %d pixels passes the end of its chunk, which has %d left (row %d, pixel %d)", n, end-x, y, x)}
			}
			value := b & whiteBit
			if value == prev {
				if st.NonCanonical == 0 {
					st.FirstNonCanonical = int64(pos)
				}
				st.NonCanonical++
			}
			if value != 0 && row != nil {
				setRun(row, x, x+n)
			}
			prev = value
			x += n
			pos++
			st.Runs++
		}
	}
	return pos, nil
}

// setRun makes pixels [a, b) white; b-a is at most 127, so at most three
// words are touched.
func setRun(row []uint64, a, b int) {
	i, j := a>>6, (b-1)>>6
	first := ^uint64(0) >> uint(a&63)
	last := ^uint64(0) << uint(63-(b-1)&63)
	if i == j {
		row[i] |= first & last
		return
	}
	row[i] |= first
	for k := i + 1; k < j; k++ {
		row[k] = ^uint64(0)
	}
	row[j] |= last
}
