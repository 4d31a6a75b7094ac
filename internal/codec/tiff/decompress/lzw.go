package decompress

import (
	"errors"
	"io"
)

// TIFF's LZW, as libtiff decodes it. The codes are 9 to 12 bits wide; 256
// clears the table and 257 ends the data. "New-style" data, which every
// current writer makes, packs the codes most significant bit first and
// widens them one code early; "old-style" data, from libtiff's first
// versions, packs them least significant bit first and widens them on time.
// libtiff tells the two apart by the first two bytes, and so does this
// decoder.
//
// golang.org/x/image/tiff/lzw reads new-style data only, allocates its
// tables for every strip, and stops adding codes when the table is full
// where libtiff goes on until 5119 entries; this decoder is reset from
// strip to strip and follows libtiff.
const (
	lzwClear     = 256
	lzwEOI       = 257
	lzwFirst     = 258
	lzwMaxWidth  = 12
	lzwTableSize = 1<<lzwMaxWidth + 1024 - 1 // libtiff's CSIZE
)

var (
	errLZWStart   = errors.New("LZW data does not start with a clear code")
	errLZWCode    = errors.New("LZW code not yet in the table")
	errLZWLiteral = errors.New("LZW code after a clear is not a literal")
)

// lzwReader decodes the LZW data of one strip or tile.
type lzwReader struct {
	src    *source
	compat bool // old-style codes
	bits   uint32
	nbits  uint
	width  uint
	next   int // the next code to define; -1 when no code may be defined
	old    int // the previous code, -1 after a clear
	eoi    bool

	prefix [lzwTableSize]uint16
	suffix [lzwTableSize]byte
	first  [lzwTableSize]byte
	length [lzwTableSize]uint16

	str     [lzwTableSize]byte // the expansion of the last code
	pending []byte             // the part of str not yet read
}

func newLZWReader() *lzwReader {
	d := &lzwReader{}
	for i := range 256 {
		d.suffix[i], d.first[i], d.length[i] = byte(i), byte(i), 1
	}
	return d
}

// reset starts decoding the data of src.
func (d *lzwReader) reset(src *source) {
	d.src = src
	d.compat = false
	if b, err := src.next(); err == nil && len(b) >= 2 && b[0] == 0 && b[1]&1 != 0 {
		d.compat = true
	}
	d.bits, d.nbits, d.width = 0, 0, 9
	d.next, d.old, d.eoi, d.pending = -1, -1, false, nil
}

// code reads the next code.
func (d *lzwReader) code() (int, error) {
	for d.nbits < d.width {
		b, err := d.src.ReadByte()
		if err != nil {
			return 0, err
		}
		if d.compat {
			d.bits |= uint32(b) << d.nbits
		} else {
			d.bits = d.bits<<8 | uint32(b)
		}
		d.nbits += 8
	}
	mask := uint32(1)<<d.width - 1
	var c uint32
	if d.compat {
		c = d.bits & mask
		d.bits >>= d.width
	} else {
		c = d.bits >> (d.nbits - d.width) & mask
	}
	d.nbits -= d.width
	return int(c), nil
}

// read fills p with the next decoded bytes. It fails with io.EOF when the
// data (or its EOI code) ends first.
func (d *lzwReader) read(p []byte) error {
	for len(p) > 0 {
		if len(d.pending) > 0 {
			n := copy(p, d.pending)
			d.pending, p = d.pending[n:], p[n:]
			continue
		}
		if d.eoi {
			return io.EOF
		}
		c, err := d.code()
		if err != nil {
			return err
		}
		switch {
		case c == lzwEOI:
			d.eoi = true
		case c == lzwClear:
			d.next, d.width, d.old = lzwFirst, 9, -1
		case d.old < 0:
			if d.next < 0 {
				return errLZWStart
			}
			if c > 255 {
				return errLZWLiteral
			}
			p[0], p = byte(c), p[1:]
			d.old = c
		default:
			if d.next < 0 || c > d.next {
				return errLZWCode
			}
			d.define(c)
			if c < 256 {
				p[0], p = byte(c), p[1:]
				continue
			}
			n := int(d.length[c])
			s := d.str[:n]
			for i, k := n-1, c; i >= 0; i-- {
				s[i] = d.suffix[k]
				k = int(d.prefix[k])
			}
			m := copy(p, s)
			d.pending, p = s[m:], p[m:]
		}
	}
	return nil
}

// define adds the code the previous code and the first byte of c stand
// for, and widens the codes when the table needs it.
func (d *lzwReader) define(c int) {
	n := d.next
	last := d.first[c]
	if c == n { // the code being defined: the previous string and its own first byte
		last = d.first[d.old]
	}
	d.prefix[n], d.suffix[n] = uint16(d.old), last
	d.first[n], d.length[n] = d.first[d.old], d.length[d.old]+1
	d.next++
	limit := 1<<d.width - 2 // new-style codes widen one code early
	if d.compat {
		limit++
	}
	if d.next > limit {
		d.width = min(d.width+1, lzwMaxWidth)
		if d.next >= lzwTableSize {
			d.next = -1 // full: only a clear or the end may follow
		}
	}
	d.old = c
}
