package gif

import (
	"errors"
	"io"
)

// maxCodes is the size of the LZW code table: codes are at most 12 bits.
const maxCodes = 4096

// errEnd is the end of the LZW data: an end code, or the empty sub-block
// that ends the data.
var errEnd = errors.New("the LZW data ends")

// errBroken is a code the table does not hold yet.
var errBroken = errors.New("invalid LZW code")

// decoder decodes a frame's LZW data, read from the file at an offset, as
// the reference's decoder does: minimum code sizes 0 to 12 (literals past
// 255 keep their low byte), codes up to the next free one, and a sub-block
// used only when the file holds it whole.
//
// It holds no pointers into its state, so that a copy of it is a snapshot
// that decodes on from where the original stood: interlaced frames are read
// by four of them, one per pass.
type decoder struct {
	src io.ReaderAt

	// The sub-blocks.
	off    int64 // the file offset of win[0]
	win    [1024]byte
	pos, n int  // win[pos:n] is read but not used
	left   int  // bytes of the current sub-block not used
	ended  bool // the empty sub-block that ends the data was read
	bits   uint32
	nbits  uint

	// The LZW state.
	lit               int // the minimum code size
	clear, eoi        int
	next, width, mask int  // the next free code, the code width and its mask
	fresh             bool // the next code is the first after a clear code
	last              int  // the previous code
	first             byte // the first byte of the previous code's string
	suffix            [maxCodes]byte
	prefix            [maxCodes]uint16
	// out[sp:] is the decoded string not yet handed out.
	out [maxCodes]byte
	sp  int
}

func newDecoder(src io.ReaderAt, offset int64, lit int) *decoder {
	d := &decoder{src: src, off: offset, lit: lit, clear: 1 << lit, eoi: 1<<lit + 1}
	d.sp = len(d.out)
	d.reset()
	return d
}

func (d *decoder) reset() {
	d.next = d.clear + 2
	d.width = d.lit + 1
	d.mask = 1<<d.width - 1
	d.fresh = true
}

// read fills dst with the next pixels.
func (d *decoder) read(dst []byte) error {
	for len(dst) > 0 {
		if d.sp == len(d.out) {
			if err := d.decode(); err != nil {
				return err
			}
		}
		k := copy(dst, d.out[d.sp:])
		d.sp += k
		dst = dst[k:]
	}
	return nil
}

// skip decodes the next n pixels, keeping none.
func (d *decoder) skip(n int) error {
	for n > 0 {
		if d.sp == len(d.out) {
			if err := d.decode(); err != nil {
				return err
			}
		}
		k := min(n, len(d.out)-d.sp)
		d.sp += k
		n -= k
	}
	return nil
}

// decode decodes the next code's string into out[sp:].
func (d *decoder) decode() error {
	for {
		for d.nbits < uint(d.width) {
			c, err := d.byte()
			if err != nil {
				return err
			}
			d.bits |= uint32(c) << d.nbits
			d.nbits += 8
		}
		code := int(d.bits) & d.mask
		d.bits >>= uint(d.width)
		d.nbits -= uint(d.width)
		switch {
		case code == d.clear:
			d.reset()
			continue
		case code == d.eoi:
			return errEnd
		case d.fresh:
			if code > d.clear {
				return errBroken
			}
			d.fresh = false
			d.last, d.first = code, byte(code)
			d.sp = len(d.out) - 1
			d.out[d.sp] = byte(code)
			return nil
		case code > d.next:
			return errBroken
		}
		this, sp := code, len(d.out)
		if code == d.next { // the string of the previous code and its first byte
			sp--
			d.out[sp] = d.first
			code = d.last
		}
		for code >= d.clear {
			if sp == 1 || code >= maxCodes {
				return errBroken
			}
			sp--
			d.out[sp] = d.suffix[code]
			code = int(d.prefix[code])
		}
		sp--
		d.out[sp] = byte(code)
		d.first = byte(code)
		if d.next < maxCodes {
			d.suffix[d.next] = byte(code)
			d.prefix[d.next] = uint16(d.last)
			if d.next == d.mask && d.width < 12 {
				d.width++
				d.mask = 1<<d.width - 1
			}
			d.next++
		}
		d.last = this
		d.sp = sp
		return nil
	}
}

// byte returns the next byte of the data, across sub-blocks.
func (d *decoder) byte() (byte, error) {
	for d.left == 0 {
		if d.ended {
			return 0, errEnd
		}
		if err := d.fill(1); err != nil {
			return 0, err
		}
		n := int(d.win[d.pos])
		d.pos++
		if n == 0 {
			d.ended = true
			return 0, errEnd
		}
		// The reference decodes no sub-block it does not hold whole.
		if err := d.fill(n); err != nil {
			return 0, err
		}
		d.left = n
	}
	c := d.win[d.pos]
	d.pos++
	d.left--
	return c, nil
}

// fill makes win[pos:] hold at least k bytes.
func (d *decoder) fill(k int) error {
	if d.n-d.pos >= k {
		return nil
	}
	d.n = copy(d.win[:], d.win[d.pos:d.n])
	d.off += int64(d.pos)
	d.pos = 0
	m, err := d.src.ReadAt(d.win[d.n:], d.off+int64(d.n))
	d.n += m
	if d.n >= k {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}
