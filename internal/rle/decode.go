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

// decodeRow reads the runs of row y starting at data[pos] into row (when row
// is not nil; it must be zero) and returns the position after the row.
//
// It does not paint runs. Each run whose value differs from the pixel before
// it toggles one transition bit, with no branch on the data; then a prefix
// XOR over the row's words turns transitions back into pixels. That is the
// encoder's trick run backwards, and it keeps the cost per run to a handful
// of operations whatever the runs' lengths.
func decodeRow(data []byte, pos int, row []uint64, width, y int, st *Stats) (int, error) {
	x, first := 0, pos
	before := byte(0) // value of the pixel before x; the row starts "after black"
	for start := 0; start < width; start += ChunkWidth {
		end := min(start+ChunkWidth, width)
		prev := byte(0xff) // no run yet in this chunk
		for x < end {
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
			if row != nil {
				row[x>>6] ^= uint64((value^before)>>7) << (63 - uint(x&63))
			}
			before, prev = value, value
			x += n
			pos++
		}
	}
	st.Runs += int64(pos - first) // one byte per run
	if row != nil && width > 0 {
		prefixXOR(row, width)
	}
	return pos, nil
}

// prefixXOR turns transition bits into pixels: each pixel becomes the XOR of
// every transition up to and including it. Bits past width are cleared.
func prefixXOR(row []uint64, width int) {
	var carry uint64 // all ones when the pixel before the word is white
	for i, t := range row {
		if t == 0 { // no transition: the word is all the colour before it
			row[i] = carry
			continue
		}
		t ^= t >> 1
		t ^= t >> 2
		t ^= t >> 4
		t ^= t >> 8
		t ^= t >> 16
		t ^= t >> 32
		t ^= carry
		row[i] = t
		carry = -(t & 1)
	}
	row[len(row)-1] &= bitmap.TailMask(width)
}
