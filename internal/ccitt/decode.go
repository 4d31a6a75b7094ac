package ccitt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"

	"github.com/rlec/rlec/internal/bitmap"
)

// Decoder reads the rows of one strip or tile of coded data.
//
// It keeps two rows as changing elements (see rows.go): the reference row,
// which two-dimensional codes describe the current row against, and the
// row being decoded. Each is at most a width of int32s, so memory is
// proportional to the width, whatever the data.
type Decoder struct {
	opt Options
	r   bitReader
	y   int // rows decoded
	// ref holds the reference row's changes followed by three copies of
	// the width, so that b1 and b2 never run off its end.
	ref []int32
	cur []int32
	// eolBefore is whether the last T.4 row had an EOL before it.
	eolBefore bool
	err       error
}

// NewDecoder returns a decoder of the rows coded in data, whose bits are in
// order, most significant bit of each byte first (a TIFF with FillOrder 2
// has its bytes reversed before they are passed here).
func NewDecoder(data []byte, opt Options) (*Decoder, error) {
	switch opt.Coding {
	case ModifiedHuffman, T4, T6:
	default:
		return nil, fmt.Errorf("unknown CCITT coding %d", int(opt.Coding))
	}
	if opt.Width < 1 || opt.Width > MaxWidth {
		return nil, fmt.Errorf("CCITT row width %d is outside 1..%d", opt.Width, MaxWidth)
	}
	if opt.Height < 0 {
		return nil, fmt.Errorf("negative CCITT height %d", opt.Height)
	}
	w := int32(opt.Width)
	d := &Decoder{
		opt: opt,
		r:   bitReader{data: data},
		ref: make([]int32, 3, opt.Width+3),
		cur: make([]int32, opt.Width+3),
	}
	d.ref[0], d.ref[1], d.ref[2] = w, w, w // a white row
	return d, nil
}

// ReadRow decodes the next row into dst, a row of Options.Width pixels
// packed as a bitmap row (pixel x is bit 63-x%64 of dst[x/64]): a pixel of
// a white run is 1, of a black run 0. Bits past the width are cleared.
//
// After the last row (Options.Height rows, or where the data ends when the
// height is unknown) it returns io.EOF. Faults in the data are *Error
// values; after one, ReadRow returns it again.
func (d *Decoder) ReadRow(dst []uint64) error {
	if d.err != nil {
		return d.err
	}
	if d.opt.Height > 0 && d.y >= d.opt.Height {
		return io.EOF
	}
	if n := bitmap.WordsPerRow(d.opt.Width); len(dst) < n {
		return fmt.Errorf("row of %d words for %d pixels, want %d", len(dst), d.opt.Width, n)
	}
	var n int
	var err error
	switch d.opt.Coding {
	case ModifiedHuffman:
		n, err = d.rowMH()
	case T4:
		n, err = d.rowT4()
	default:
		n, err = d.rowT6()
	}
	if err != nil {
		d.err = err
		return err
	}
	fillRow(dst, d.cur[:n], d.opt.Width)
	w := int32(d.opt.Width)
	d.cur[n], d.cur[n+1], d.cur[n+2] = w, w, w
	d.ref, d.cur = d.cur[:n+3], d.ref[:cap(d.ref)]
	d.y++
	return nil
}

func (d *Decoder) fault(x int, format string, args ...any) error {
	return &Error{Row: d.y, Pixel: x, Msg: fmt.Sprintf(format, args...)}
}

// badCode is the error for a code that cannot be decoded at pixel x: the
// end of the data when the reader has passed it.
func (d *Decoder) badCode(x int) error {
	if d.r.overrun() {
		return d.fault(x, "data ends")
	}
	return d.fault(x, "bad code")
}

// end is what a row finds when the data ends before it: the end of the
// image when its height is unknown.
func (d *Decoder) end() error {
	if d.opt.Height == 0 {
		return io.EOF
	}
	return d.fault(-1, "data ends")
}

// rowMH decodes a modified Huffman row: one-dimensional, no EOL, the next
// row starting on a byte boundary.
func (d *Decoder) rowMH() (int, error) {
	d.r.refill()
	if d.r.atEnd() {
		return 0, d.end()
	}
	n, err := d.decode1D()
	if err == errEOL {
		err = d.fault(-1, "EOL in modified Huffman data")
	}
	d.r.alignByte()
	return n, err
}

// rowT6 decodes a T.6 row, or finds the end of the data: an EOFB (two
// EOLs), or nothing but zeros, since encoders may leave the EOFB out.
func (d *Decoder) rowT6() (int, error) {
	r := &d.r
	r.refill()
	if bits.LeadingZeros64(r.acc) >= 11 { // n >= 56 after a refill
		return 0, d.end()
	}
	n, err := d.decode2D()
	if err == errEOL {
		err = d.fault(-1, "EOL inside a row")
	}
	return n, err
}

// rowT4 decodes a T.4 row after the EOLs (and fill bits) before it.
//
// As libtiff does, it takes any number of zeros before the one of an EOL
// as fill, any number of EOLs (leading EOLs, the RTC after the last row)
// as one, and when rows have had EOLs before them, it skips what is not
// an EOL after a row (trailing codes some encoders write) up to the next
// EOL. Unlike libtiff, it reads the rows of data with no EOL at all, or
// none before the first row: with no EOL there is no tag bit, and the row
// is one-dimensional. An EOL inside a row ends it, the rest of the row
// being white after one-dimensional codes and of the colour reached after
// two-dimensional ones, as libtiff fills it.
func (d *Decoder) rowT4() (int, error) {
	r := &d.r
	eol, oneD := false, true
	for {
		r.refill()
		if lz := uint(bits.LeadingZeros64(r.acc)); r.acc != 0 && lz < 11 {
			if eol || !d.eolBefore {
				break
			}
			r.consume(lz + 1) // not an EOL, where one was due
			continue
		}
		if r.skipZeros() < 0 {
			return 0, d.end()
		}
		r.consume(1) // the one of the EOL
		eol = true
		if d.opt.TwoD {
			r.refill()
			oneD = r.acc>>63 == 1
			r.consume(1)
			if r.overrun() {
				return 0, d.end()
			}
		}
	}
	d.eolBefore = eol
	var n int
	var err error
	if d.opt.TwoD && eol && !oneD {
		n, err = d.decode2D()
	} else {
		n, err = d.decode1D()
	}
	if err == errEOL { // a row coded short
		err = nil
	}
	return n, err
}

// errEOL is how decode1D and decode2D report a row ended early by an EOL,
// left unread. The changes returned describe the row filled to its end.
var errEOL = errors.New("EOL")

// push records a change at x in cur, where n changes are, and returns the
// new count. A change at the last one's place cancels it: a run of length
// zero, which some encoders write.
func push(cur []int32, n int, x int32) int {
	if n > 0 && cur[n-1] == x {
		return n - 1
	}
	cur[n] = x
	return n + 1
}

// decode1D decodes a row of alternate white and black run lengths into
// d.cur and returns the number of changes.
func (d *Decoder) decode1D() (int, error) {
	w := int32(d.opt.Width)
	cur := d.cur
	n := 0
	a0 := int32(0)
	for a0 < w {
		black := n & 1 // the colour of the next run
		run, err := d.run(black, a0)
		if err == errEOL {
			// The rest of the row is white: a black run so far is ended.
			if black == 1 {
				a1 := a0 + int32(run)
				if a1 > w {
					return n, d.pastEnd(a1)
				}
				if a1 < w {
					n = push(cur, n, a1)
				}
			}
			return n, errEOL
		}
		if err != nil {
			return n, err
		}
		a1 := a0 + int32(run)
		if a1 > w {
			return n, d.pastEnd(a1)
		}
		if a1 < w {
			n = push(cur, n, a1)
		}
		a0 = a1
	}
	if d.r.overrun() {
		return n, d.fault(int(w), "data ends")
	}
	return n, nil
}

func (d *Decoder) pastEnd(x int32) error {
	return d.fault(int(x), "run past the %d-pixel width", d.opt.Width)
}

// run decodes the codes of one run, of black (1) or white (0) pixels,
// starting at pixel a0: make-up codes, then a terminating code. At an EOL
// it returns what the make-up codes gave and errEOL, leaving the EOL.
func (d *Decoder) run(black int, a0 int32) (int, error) {
	t := &whiteTable
	if black != 0 {
		t = &blackTable
	}
	r := &d.r
	total := 0
	for {
		if r.n < 16 {
			r.refill()
		}
		e := t.primary[r.acc>>(64-primaryBits)]
		if e.kind() == kSub {
			e = t.sub[e.value()+int(r.acc<<primaryBits>>(64-e.len()))]
		}
		switch e.kind() {
		case kTerm:
			r.consume(e.len())
			return total + e.value(), nil
		case kMakeup:
			r.consume(e.len())
			total += e.value()
			if total > d.opt.Width { // also ends a long string of make-ups
				return total, d.pastEnd(a0 + int32(total))
			}
		case kEOL:
			if r.atEnd() {
				return total, d.fault(int(a0)+total, "data ends")
			}
			return total, errEOL
		default:
			return total, d.badCode(int(a0) + total)
		}
	}
}

// decode2D decodes a row of two-dimensional codes against the reference
// row d.ref into d.cur and returns the number of changes.
//
// The names are T.4's: a0 is where the coding has reached (-1 before the
// first pixel), b1 the first change of the reference row after a0 to the
// colour opposite a0's, b2 the change after b1. The colour at a0 is the
// parity of the changes so far, and b1 is ref[k], k of that same parity:
// the first change of a row is always to black.
func (d *Decoder) decode2D() (int, error) {
	w := int32(d.opt.Width)
	ref, cur := d.ref, d.cur
	n := 0
	a0 := int32(-1)
	k := 0
	// The reader's window is kept in locals, which stay in registers, and
	// put back around calls and at the end of the row. (After an error it
	// does not matter where the reader is.)
	r := &d.r
	data := r.data
	acc, nb, i := r.acc, r.n, r.i
	for a0 < w {
		if nb < 32 {
			if i+4 <= len(data) {
				acc |= uint64(binary.BigEndian.Uint32(data[i:])) << (32 - nb)
				i += 4
				nb += 32
			} else {
				r.acc, r.n, r.i = acc, nb, i
				r.refill()
				acc, nb, i = r.acc, r.n, r.i
			}
		}
		e := modeTable[acc>>(64-modeBits)]
		if e.kind() == mVert {
			acc <<= e.len()
			nb -= e.len()
			a1 := ref[k] + int32(e.value()) - 3
			if a1 < max(a0, 0) {
				return n, d.fault(int(max(a0, 0)), "vertical code puts a change at pixel %d, behind the coding", a1)
			}
			if a1 >= w {
				if a1 > w {
					return n, d.pastEnd(a1)
				}
				break
			}
			n = push(cur, n, a1)
			a0 = a1
			// The colour has changed: b1 is now the first change of the
			// other parity after a0, no earlier than the one before the
			// old b1.
			if k > 0 {
				k--
			} else {
				k++
			}
			for ref[k] <= a0 {
				k += 2
			}
			continue
		}
		switch e.kind() {
		case mHoriz:
			acc <<= e.len()
			nb -= e.len()
			r.acc, r.n, r.i = acc, nb, i
			start := max(a0, 0)
			black := n & 1
			run1, err := d.run(black, start)
			if err != nil {
				return n, d.horizEOL(err, start)
			}
			a1 := start + int32(run1)
			if a1 > w {
				return n, d.pastEnd(a1)
			}
			run2, err := d.run(black^1, a1)
			acc, nb, i = r.acc, r.n, r.i
			if err != nil {
				return n, d.horizEOL(err, a1)
			}
			a2 := a1 + int32(run2)
			if a2 > w {
				return n, d.pastEnd(a2)
			}
			if a1 < w {
				n = push(cur, n, a1)
			}
			if a2 < w {
				n = push(cur, n, a2)
			}
			a0 = a2
			if a0 < w {
				for ref[k] <= a0 {
					k += 2
				}
			}
		case mPass:
			acc <<= e.len()
			nb -= e.len()
			a0 = ref[k+1] // b2; the colour stays
			k += 2
		case mExt:
			return n, d.fault(int(max(a0, 0)), "uncompressed mode (not supported)")
		case mZeros:
			r.acc, r.n, r.i = acc, nb, i
			if bits.LeadingZeros64(acc) >= 11 {
				if r.atEnd() {
					return n, d.fault(int(max(a0, 0)), "data ends")
				}
				return n, errEOL // the rest of the row keeps a0's colour
			}
			return n, d.badCode(int(max(a0, 0)))
		default:
			r.acc, r.n, r.i = acc, nb, i
			return n, d.badCode(int(max(a0, 0)))
		}
	}
	r.acc, r.n, r.i = acc, nb, i
	if r.overrun() {
		return n, d.fault(int(w), "data ends")
	}
	return n, nil
}

// horizEOL turns an EOL met in the runs of a horizontal mode code into an
// error: unlike an EOL in place of a mode code, it cannot end a row.
func (d *Decoder) horizEOL(err error, x int32) error {
	if err == errEOL {
		return d.fault(int(x), "EOL inside a horizontal mode code")
	}
	return err
}
