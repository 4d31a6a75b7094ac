package ccitt

import (
	"errors"
	"fmt"
	"io"

	"github.com/rlec/rlec/internal/bitmap"
)

// Encoder writes rows in T.6 (Group 4) coding.
//
// It codes each row as libtiff's Group 4 encoder does (the same choice of
// pass, vertical and horizontal modes, the same make-up codes for long
// runs), so that its output is the bits tiffcp -c g4 writes, but it finds
// the changing elements of a row from its words (rows.go) instead of
// scanning pixels.
type Encoder struct {
	w     io.Writer
	width int
	ref   []int32 // reference row's changes and three sentinels (decode.go)
	cur   []int32
	bw    bitWriter
	err   error
}

// flushSize is how much coded data the encoder gathers before a write.
const flushSize = 64 << 10

// NewT6Encoder returns an encoder of rows width pixels wide to w; each
// strip of a TIFF is coded by an encoder of its own.
func NewT6Encoder(w io.Writer, width int) *Encoder {
	e := &Encoder{w: w, width: width}
	if width < 1 || width > MaxWidth {
		e.err = fmt.Errorf("CCITT row width %d is outside 1..%d", width, MaxWidth)
		return e
	}
	e.ref = append(make([]int32, 0, width+3), int32(width), int32(width), int32(width))
	e.cur = make([]int32, 0, width+3)
	return e
}

// WriteRow codes the next row, a bitmap row: 1 for white, 0 for black.
func (e *Encoder) WriteRow(row []uint64) error {
	if e.err != nil {
		return e.err
	}
	if n := bitmap.WordsPerRow(e.width); len(row) < n {
		return fmt.Errorf("row of %d words for %d pixels, want %d", len(row), e.width, n)
	}
	w := int32(e.width)
	cur := append(appendChanges(e.cur[:0], row, e.width), w, w, w)
	e.encode2D(cur, e.ref)
	e.ref, e.cur = cur, e.ref
	if len(e.bw.buf) >= flushSize {
		return e.flush()
	}
	return nil
}

// encode2D codes the row whose changes are cur against the reference row
// ref (both followed by sentinels), as T.6 section 2.2 and libtiff's
// Fax3Encode2DRow do. The names are those of decode2D; a1 is cur[ka], the
// first change after a0, and its parity is a0's colour.
func (e *Encoder) encode2D(cur, ref []int32) {
	w := int32(e.width)
	bw := &e.bw
	a0 := int32(-1)
	ka, kb := 0, 0
	for {
		a1, b1, b2 := cur[ka], ref[kb], ref[kb+1]
		switch {
		case b2 < a1: // pass mode
			bw.put(passCode)
			a0 = b2
			kb += 2
		case a1-b1 >= -3 && a1-b1 <= 3: // vertical mode
			bw.put(vertCode[a1-b1+3])
			a0 = a1
			ka++
			if a0 < w {
				if kb > 0 {
					kb--
				} else {
					kb++
				}
				for ref[kb] <= a0 {
					kb += 2
				}
			}
		default: // horizontal mode
			a2 := cur[ka+1]
			black := ka & 1
			bw.put(horizCode)
			bw.putRun(black, int(a1-max(a0, 0)))
			bw.putRun(black^1, int(a2-a1))
			a0 = a2
			ka += 2
			if a0 < w {
				for ref[kb] <= a0 {
					kb += 2
				}
			}
		}
		if a0 >= w {
			return
		}
	}
}

// Close writes the end of facsimile block and pads the data to a byte
// boundary. It does not close w.
func (e *Encoder) Close() error {
	if e.err != nil {
		return e.err
	}
	e.bw.put(eolCode)
	e.bw.put(eolCode)
	e.bw.pad()
	err := e.flush()
	if err == nil {
		e.err = errClosed
	}
	return err
}

var errClosed = errors.New("CCITT encoder is closed")

func (e *Encoder) flush() error {
	if _, err := e.w.Write(e.bw.buf); err != nil {
		e.err = err
		return err
	}
	e.bw.buf = e.bw.buf[:0]
	return nil
}

// A codeWord is a code to write: its bits, right-aligned, and its length.
type codeWord struct {
	bits uint32
	len  uint
}

func toCodeWord(s string) codeWord { return codeWord{uint32(parseBits(s)), uint(len(s))} }

var (
	passCode  = toCodeWord(codePass)
	horizCode = toCodeWord(codeHoriz)
	eolCode   = toCodeWord(codeEOL)
	vertCode  [7]codeWord
	// termCode and makeupCode are the run-length codes of white (0) and
	// black (1): terminating codes for 0-63, make-up codes for 64*(i+1).
	termCode   [2][64]codeWord
	makeupCode [2][maxRun / 64]codeWord
)

func init() {
	for i, c := range vertCodes {
		vertCode[i] = toCodeWord(c)
	}
	for colour, set := range [2][2][]string{{whiteTerm[:], whiteMakeup[:]}, {blackTerm[:], blackMakeup[:]}} {
		for i, c := range set[0] {
			termCode[colour][i] = toCodeWord(c)
		}
		for i, c := range append(set[1], extMakeup[:]...) {
			makeupCode[colour][i] = toCodeWord(c)
		}
	}
}

// A bitWriter gathers codes most significant bit first.
type bitWriter struct {
	buf []byte
	acc uint64 // the pending n bits, at the top
	n   uint
}

func (b *bitWriter) put(c codeWord) {
	b.acc |= uint64(c.bits) << (64 - b.n - c.len)
	b.n += c.len
	if b.n >= 32 {
		v := b.acc >> 32
		b.buf = append(b.buf, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
		b.acc <<= 32
		b.n -= 32
	}
}

// putRun writes a run of n pixels of one colour as libtiff does: make-up
// codes of 2560 while more than 2623 are left, one make-up code for the
// multiple of 64 left, then the terminating code.
func (b *bitWriter) putRun(black, n int) {
	for n >= maxRun+64 {
		b.put(makeupCode[black][maxRun/64-1])
		n -= maxRun
	}
	if n >= 64 {
		b.put(makeupCode[black][n/64-1])
		n &= 63
	}
	b.put(termCode[black][n])
}

// pad writes out the pending bits, the last byte filled with zeros.
func (b *bitWriter) pad() {
	for b.n > 0 {
		b.buf = append(b.buf, byte(b.acc>>56))
		b.acc <<= 8
		b.n -= min(b.n, 8)
	}
	b.acc = 0
}
