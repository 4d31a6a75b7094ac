package rle

import (
	"bytes"
	"encoding/binary"
	"errors"
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
	d, err := NewDecoder(data)
	if err != nil {
		return nil, err
	}
	bm, err := bitmap.New(d.st.Width, d.st.Height)
	if err != nil {
		return nil, err
	}
	if err := d.ReadRows(bm); err != nil {
		return nil, err
	}
	_, err = d.Close()
	return bm, err
}

// Scan checks data as strictly as Decode and counts its runs, without
// building the image. It reads rows as decoding does, blank rows compared
// whole and others on the fast path (readRow), into one scratch row, which
// is faster than the general loop that counts as it goes.
func Scan(data []byte) (Stats, error) {
	d, err := NewDecoder(data)
	if err != nil {
		return Stats{}, err
	}
	row := make([]uint64, bitmap.WordsPerRow(d.st.Width))
	for d.y < d.last {
		if d.skipBlank() {
			continue
		}
		if err := d.readTransitions(row); err != nil {
			return d.st, err
		}
	}
	return d.Close()
}

// Decoder reads the rows of a .rle file in order, band by band, so that a
// large image need not be held whole.
type Decoder struct {
	data []byte // ends where the decoder's last row does, or at the file's end
	pos  int    // next byte to read
	y    int    // next row to read
	last int    // the row after the decoder's last
	st   Stats

	// blank is how an all-white row is written: a full white run per chunk.
	// Paper is mostly blank rows, and comparing bytes is cheaper than
	// decoding runs one by one.
	blank []byte

	white   []byte   // blank as ReadRowBytes writes it
	scratch []uint64 // ReadRowBytes's transition bits, one row
}

// NewDecoder reads the header and checks that the body is long enough for
// it: a 65535x65535 header over a few bytes is refused here, before any
// image is allocated. A body too short is reported at the first fault in
// it, when it has one before its end, as a decoder would meet it.
func NewDecoder(data []byte) (*Decoder, error) {
	h, err := ParseHeader(data)
	if err != nil {
		return nil, err
	}
	d := &Decoder{data: data, pos: HeaderSize, last: h.Height, blank: appendBlank(nil, h.Width), white: whiteRow(h.Width)}
	d.st.Header, d.st.Bytes = h, int64(len(data))
	d.st.Chunks = int64(h.Height) * int64(ChunksPerRow(h.Width))
	if minBody := h.MinBody(); int64(len(data)-HeaderSize) < minBody {
		row := make([]uint64, bitmap.WordsPerRow(h.Width))
		for {
			err := d.readTransitions(row)
			if e := (*Error)(nil); errors.As(err, &e) && e.Offset < int64(len(data)) {
				return nil, err // a fault before the data ends
			}
			if err != nil {
				return nil, &Error{Offset: int64(len(data)), Msg: fmt.Sprintf(
					"truncated: a %dx%d image needs at least %s of runs, the file has %d",
					h.Width, h.Height, plural(int(minBody), "byte"), len(data)-HeaderSize)}
			}
		}
	}
	return d, nil
}

// Header is the image's size.
func (d *Decoder) Header() Header { return d.st.Header }

// ReadRows decodes the next band.Height rows into band, whose width must be
// the image's.
func (d *Decoder) ReadRows(band *bitmap.Bitmap) error {
	if band.Width != d.st.Width || band.Height > d.last-d.y {
		return fmt.Errorf("rle: a %dx%d band does not fit rows %d..%d of a %dx%d image", band.Width, band.Height, d.y, d.last, d.st.Width, d.st.Height)
	}
	for i := range band.Height {
		row := band.Row(i)
		if d.skipBlank() {
			bitmap.FillRow(row, d.st.Width, true)
			continue
		}
		if err := d.readTransitions(row); err != nil {
			return err
		}
		prefixXOR(row, d.st.Width)
	}
	return nil
}

// ReadRowBytes decodes the next row into dst as packed bytes, most
// significant bit first: pixel x is bit 7-x%8 of dst[x/8], 1 for white (the
// layout of a row of a 1-bit BMP), or 1 for black with invert (a PBM's).
// dst must hold (width+7)/8 bytes; bits after the row's pixels, as a BMP
// row's padding, are set to zero. Decompression writes rows this way
// straight into the file's buffer, with no bitmap in between: converting a
// decoded bitmap's words into rows would cost a third as much again as
// decoding them.
func (d *Decoder) ReadRowBytes(dst []byte, invert bool) error {
	width := d.st.Width
	if d.y >= d.last || len(dst) < (width+7)/8 {
		return fmt.Errorf("rle: cannot read %d bytes of row %d of rows %d..%d of a %dx%d image", len(dst), d.y, d.y, d.last, width, d.st.Height)
	}
	if d.skipBlank() {
		if invert {
			clear(dst)
		} else {
			clear(dst[copy(dst, d.white):])
		}
		return nil
	}
	if d.scratch == nil {
		d.scratch = make([]uint64, bitmap.WordsPerRow(width))
	}
	if err := d.readTransitions(d.scratch); err != nil {
		return err
	}
	var flip uint64
	if invert {
		flip = ^uint64(0)
	}
	storePixels(dst, d.scratch, width, flip)
	return nil
}

// skipBlank moves past the next row if it is blank, all white.
func (d *Decoder) skipBlank() bool {
	end := d.pos + len(d.blank)
	if len(d.blank) == 0 || end > len(d.data) || !bytes.Equal(d.data[d.pos:end], d.blank) {
		return false
	}
	d.st.Runs += int64(len(d.blank))
	d.pos, d.y = end, d.y+1
	return true
}

// readTransitions reads the next row's runs into row as transition bits
// (see decodeRow): prefixXOR turns them into pixels.
func (d *Decoder) readTransitions(row []uint64) error {
	clear(row)
	if pos, ok := readRow(d.data, d.pos, row, d.st.Width); ok {
		d.st.Runs += int64(pos - d.pos) // one byte per run
		d.pos, d.y = pos, d.y+1
		return nil
	}
	clear(row)
	return d.row(row) // the same row again, to say what is wrong
}

func (d *Decoder) row(row []uint64) error {
	pos, err := decodeRow(d.data, d.pos, row, d.st.Width, d.y, &d.st)
	if err != nil {
		return err
	}
	d.pos = pos
	d.y++
	return nil
}

// Split cuts the next n rows off d: it returns a decoder for them, and moves
// d past them. It does not decode them; it only adds up their run lengths to
// find where they end, which is several times faster than decoding. So the
// rows of one file can be decoded by several goroutines, each reading the
// rows Split gave it while the next split is found. Split checks no more
// than that the lengths add up to whole rows; the new decoder checks the
// rest as it reads, and its Close checks that it ended where Split said.
func (d *Decoder) Split(n int) (*Decoder, error) {
	if n < 0 || n > d.last-d.y {
		return nil, fmt.Errorf("rle: cannot split %d rows off rows %d..%d", n, d.y, d.last)
	}
	pos, width := d.pos, d.st.Width
	for y := d.y; y < d.y+n; y++ {
		x := 0
		// Eight runs at a time while they end short of the row's end. Their
		// lengths are added in pairs into four 16-bit lanes (at most 254
		// each, so no lane carries into the next), and one multiply adds
		// the lanes into the top one. Where the row ends, byte by byte.
		for pos+8 <= len(d.data) {
			lengths := binary.LittleEndian.Uint64(d.data[pos:]) & 0x7f7f7f7f7f7f7f7f
			pairs := lengths&0x00ff00ff00ff00ff + lengths>>8&0x00ff00ff00ff00ff
			sum := int(pairs * 0x0001000100010001 >> 48)
			if x+sum >= width {
				break
			}
			x += sum
			pos += 8
		}
		for x < width {
			if pos >= len(d.data) {
				return nil, truncatedRow(pos, x, y, width)
			}
			x += int(d.data[pos] & lenMask)
			pos++
		}
		if x > width {
			return nil, &Error{Offset: int64(pos - 1), Msg: fmt.Sprintf("the runs of row %d add up to %d pixels; the image is %d wide", y, x, width)}
		}
	}
	part := &Decoder{data: d.data[:pos], pos: d.pos, y: d.y, last: d.y + n, blank: d.blank, white: d.white}
	part.st.Header, part.st.Bytes = d.st.Header, d.st.Bytes
	part.st.Chunks = int64(n) * int64(ChunksPerRow(width))
	d.pos, d.y = pos, d.y+n
	return part, nil
}

// Copy returns a decoder that reads what d has left to read, independently
// of d: so that two goroutines can each decode a row that both need.
func (d *Decoder) Copy() *Decoder {
	c := *d
	c.scratch = nil
	return &c
}

// Close checks that every row was read and nothing follows the last one,
// and returns the stream's statistics. For a decoder Split returned, they
// are its rows' statistics, and what follows them is other decoders' share.
func (d *Decoder) Close() (Stats, error) {
	if d.y < d.last {
		return d.st, fmt.Errorf("rle: %d of %d rows read", d.y, d.last)
	}
	if d.pos != len(d.data) {
		return d.st, &Error{Offset: int64(d.pos), Msg: fmt.Sprintf("trailing data: %s after the last row", plural(len(d.data)-d.pos, "byte"))}
	}
	return d.st, nil
}

// decodeRow reads the runs of row y starting at data[pos] into row (when row
// is not nil; it must be zero) and returns the position after the row.
//
// It does not paint runs. Each run whose value differs from the pixel before
// it toggles one transition bit, with no branch on the data; then a prefix
// XOR over the row's words turns transitions back into pixels. That is the
// encoder's trick run backwards, and it keeps the cost per run to a handful
// of operations whatever the runs' lengths.
//
// The loop runs over the row's runs, not chunk by chunk: where a chunk ends
// is tracked with conditional moves, because a branch there would depend on
// the data (a blank chunk is one run, a chunk of text dozens) and be
// mispredicted often; this made decoding a page about a tenth faster. Errors
// are built out of line, so that the loop's variables stay in registers.
func decodeRow(data []byte, pos int, row []uint64, width, y int, st *Stats) (int, error) {
	first := pos
	x, end := 0, min(ChunkWidth, width) // end: where the chunk holding x ends
	prev := uint64(noRun)               // value of the chunk's run before x
	before := uint64(0)                 // value of the pixel before x; the row starts "after black"
	for x < width {
		if pos >= len(data) {
			return pos, truncatedRow(pos, x, y, width)
		}
		b := data[pos]
		n := int(b & lenMask)
		if n == 0 || x+n > end {
			return pos, badRun(b, pos, x, end, y)
		}
		value := uint64(b >> 7)
		if value == prev {
			st.nonCanonical(pos)
		}
		if row != nil {
			row[x>>6] ^= (value ^ before) << (63 - uint(x&63))
		}
		x += n
		pos++
		before, prev = value, value
		next := min(end+ChunkWidth, width)
		if x == end { // conditional moves, not a branch
			prev, end = noRun, next
		}
	}
	st.Runs += int64(pos - first) // one byte per run
	return pos, nil
}

// readRow is decodeRow for well-formed canonical rows, the rows every
// encoder writes: it gives up (ok false) on anything else, a fault or a
// non-canonical run, for decodeRow to read the row again and report it. What
// it leaves out, the row's number and the statistics, frees enough
// registers for its loop to keep everything in them, which makes decoding a
// page about a fifth faster.
func readRow(data []byte, pos int, row []uint64, width int) (next int, ok bool) {
	x, end := 0, min(ChunkWidth, width)
	prev := uint64(noRun)
	before := uint64(0)
	for x < width {
		if pos >= len(data) {
			return pos, false
		}
		b := data[pos]
		n := int(b & lenMask)
		value := uint64(b >> 7)
		if n == 0 || x+n > end || value == prev {
			return pos, false
		}
		row[x>>6] ^= (value ^ before) << (63 - uint(x&63))
		x += n
		pos++
		before, prev = value, value
		next := min(end+ChunkWidth, width)
		if x == end { // conditional moves, not a branch
			prev, end = noRun, next
		}
	}
	return pos, true
}

// noRun stands for the run before a chunk's first: any value may follow it.
const noRun = 2

func (st *Stats) nonCanonical(pos int) {
	if st.NonCanonical == 0 {
		st.FirstNonCanonical = int64(pos)
	}
	st.NonCanonical++
}

func truncatedRow(pos, x, y, width int) error {
	return &Error{Offset: int64(pos), Msg: fmt.Sprintf("truncated: the file ends in row %d at pixel %d of %d", y, x, width)}
}

func badRun(b byte, pos, x, end, y int) error {
	if b&lenMask == 0 {
		return &Error{Offset: int64(pos), Msg: fmt.Sprintf("run byte %#02x has length 0 (row %d, pixel %d)", b, y, x)}
	}
	return &Error{Offset: int64(pos), Msg: fmt.Sprintf("run of %d pixels passes the end of its chunk, which has %d left (row %d, pixel %d)", b&lenMask, end-x, y, x)}
}

// prefixXOR turns transition bits into pixels: each pixel becomes the XOR of
// every transition up to and including it. Bits past width are cleared.
func prefixXOR(row []uint64, width int) {
	if len(row) == 0 {
		return
	}
	var carry uint64
	for i, t := range row {
		row[i], carry = pixelWord(t, carry)
	}
	row[len(row)-1] &= bitmap.TailMask(width)
}

// storePixels is prefixXOR writing the row's pixels to dst as bytes, most
// significant first, each bit XOR-ed with flip, instead of back over its
// transitions, and clearing the rest of dst. dst holds at least
// (width+7)/8 bytes.
func storePixels(dst []byte, row []uint64, width int, flip uint64) {
	if len(row) == 0 {
		clear(dst)
		return
	}
	var p, carry uint64
	last := len(row) - 1
	for i, t := range row[:last] {
		p, carry = pixelWord(t, carry)
		binary.BigEndian.PutUint64(dst[8*i:8*i+8], p^flip)
	}
	p, _ = pixelWord(row[last], carry)
	p = (p ^ flip) & bitmap.TailMask(width)
	tail := dst[8*last:]
	if len(tail) >= 8 {
		binary.BigEndian.PutUint64(tail, p)
		clear(tail[8:])
		return
	}
	for i := range tail { // a BMP row may end 4 bytes into its last word
		tail[i] = byte(p >> (56 - 8*i))
	}
}

// pixelWord turns a word of transition bits into pixels. carry is all ones
// when the pixel before the word is white; the carry for the next word is
// returned with the pixels.
func pixelWord(t, carry uint64) (pixels, next uint64) {
	if t == 0 { // no transition: the word is all the colour before it
		return carry, carry
	}
	t ^= t >> 1
	t ^= t >> 2
	t ^= t >> 4
	t ^= t >> 8
	t ^= t >> 16
	t ^= t >> 32
	t ^= carry
	return t, -(t & 1)
}

// whiteRow is an all-white row of the given width as ReadRowBytes writes it.
func whiteRow(width int) []byte {
	row := bytes.Repeat([]byte{0xff}, (width+7)/8)
	if width%8 != 0 {
		row[len(row)-1] = 0xff << (8 - width%8)
	}
	return row
}
