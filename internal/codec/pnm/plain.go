package pnm

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/convert"
)

// openPlain opens a P1, P2 or P3 image, whose data, text, br continues
// from the header. The text has no fixed size; it is read a row at a time.
func openPlain(h *header, br *bufio.Reader, r io.ReaderAt, size int64) (codec.Image, error) {
	t := &textReader{br: br}
	// A P1 takes a byte a pixel at least. A P2 or P3 may be short: the
	// reference repeats its last number to the end (see textReader).
	if h.magic == '1' && !codec.Available(r, size, h.offset+int64(h.width)*int64(h.height)) {
		return nil, fmt.Errorf("the file is too short for a %dx%d image: truncated", h.width, h.height)
	}
	img := &codec.RowByRow{Width: h.width, Height: h.height}
	y := 0
	if h.magic == '1' {
		packed := make([]byte, bitmap.PackedStride(h.width))
		img.Next = func(dst []uint64) error {
			if err := t.bits(packed, h.width); err != nil {
				return dataError(err, y)
			}
			bitmap.LoadRow(dst, packed, h.width, true)
			y++
			return nil
		}
		return img, nil
	}
	s := newSampler(h)
	conv, err := convert.New(s.mode, h.width, nil)
	if err != nil {
		return nil, err
	}
	row := make([]byte, s.mode.RowBytes(h.width))
	var tok [maxToken]byte
	img.Next = func(dst []uint64) error {
		for i := range h.width * h.samples() {
			b, err := t.token(tok[:0])
			if err == nil {
				err = s.put(row, i, b)
			}
			if err != nil {
				return dataError(err, y)
			}
		}
		conv.Row(dst, row)
		y++
		return nil
	}
	return img, nil
}

// dataError says where in the image the data went wrong.
func dataError(err error, y int) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("the data ends in row %d: truncated", y)
	}
	return fmt.Errorf("row %d: %w", y, err)
}

// textReader reads plain data: tokens separated by whitespace, comments
// cut out wherever they stand, as in the header.
//
// When the file ends right after a number, with no whitespace after it, the
// reference takes that number again and again for every sample still
// missing (its reader keeps the number as the start of one that would go on
// in the next block, and never drops it). Such a short file is read so.
type textReader struct {
	br     *bufio.Reader
	repeat []byte // the number that ended the file, once read
}

// token reads the next token into buf.
func (t *textReader) token(buf []byte) ([]byte, error) {
	if t.repeat != nil {
		return t.repeat, nil
	}
	for {
		c, err := t.br.ReadByte()
		switch {
		case err != nil:
			if err == io.EOF && len(buf) > 0 {
				t.repeat = append([]byte(nil), buf...)
				return buf, nil
			}
			return nil, err
		case isSpace(c):
			if len(buf) > 0 {
				return buf, nil
			}
		case c == '#':
			if err := skipComment(t.br); err != nil {
				return nil, err
			}
		case len(buf) == maxToken:
			return nil, fmt.Errorf("a sample %q... is longer than %d characters", buf, maxToken)
		default:
			buf = append(buf, c)
		}
	}
}

// bits reads the next width pixels of a P1, each a '0' or a '1' (black),
// with or without whitespace between them, into packed, most significant
// bit first.
func (t *textReader) bits(packed []byte, width int) error {
	clear(packed)
	for x := 0; x < width; {
		// Work on what the reader holds, not a call per byte.
		buf, err := t.br.Peek(max(1, t.br.Buffered()))
		if len(buf) == 0 {
			return err
		}
		i := 0
		for ; i < len(buf) && x < width; i++ {
			switch c := buf[i]; {
			case c == '0' || c == '1':
				packed[x>>3] |= (c - '0') << (7 - uint(x&7))
				x++
			case isSpace(c):
			case c == '#':
				t.br.Discard(i + 1)
				if err := skipComment(t.br); err != nil {
					return err
				}
				i = -1
				buf, _ = t.br.Peek(t.br.Buffered())
			default:
				return fmt.Errorf("invalid character %q in P1 data", c)
			}
		}
		t.br.Discard(i)
	}
	return nil
}

// sampler turns the numbers of a P2 or P3 into the samples of the mode the
// reference reads the image in: L or RGB, scaled to 0..255, or, for a P2
// whose maxval is over 255, I, scaled to 0..65535. The reference scales even
// when maxval is 255 (which changes nothing). A number over maxval is
// refused; a negative one wraps around modulo 256 in L and RGB, as the
// reference stores it, and is refused in I.
type sampler struct {
	mode   convert.Mode
	maxval int64
	t8     []uint8  // L, RGB: the level of each value 0..maxval
	t16    []uint16 // I: the level of each value 0..maxval
}

func newSampler(h *header) *sampler {
	s := &sampler{mode: convert.L, maxval: int64(h.maxval)}
	switch {
	case h.magic == '3':
		s.mode = convert.RGB
		s.t8 = table8(h.maxval+1, h.maxval)
	case h.maxval > 255:
		s.mode = convert.I16
		s.t16 = table16(h.maxval+1, h.maxval)
	default:
		s.t8 = table8(h.maxval+1, h.maxval)
	}
	return s
}

var errNumber = errors.New("not a number")

// put stores sample i of a row, the number b.
func (s *sampler) put(row []byte, i int, b []byte) error {
	v, ok := parseInt(b)
	switch {
	case !ok:
		return fmt.Errorf("sample %q is %w", b, errNumber)
	case v > s.maxval:
		return fmt.Errorf("sample %d is over maxval %d", v, s.maxval)
	case v >= 0 && s.t16 != nil:
		binary.LittleEndian.PutUint16(row[2*i:], s.t16[v])
	case v >= 0:
		row[i] = s.t8[v]
	case s.t16 != nil:
		return fmt.Errorf("sample %d is negative", v)
	default:
		row[i] = uint8(scale(v, s.maxval, 255))
	}
	return nil
}
