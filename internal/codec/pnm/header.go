package pnm

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/rlec/rlec/internal/bitmap"
)

// maxToken is the longest number the reference reads, in the header and in
// plain data alike.
const maxToken = 10

// header is what a netpbm header says.
type header struct {
	magic         byte // '1' to '6'
	width, height int
	maxval        int   // 1 for PBM
	offset        int64 // where the data starts
}

// plain reports whether the data is text (P1, P2, P3).
func (h *header) plain() bool { return h.magic <= '3' }

// samples is the number of samples a pixel has: 3 for PPM, else 1.
func (h *header) samples() int {
	if h.magic == '3' || h.magic == '6' {
		return 3
	}
	return 1
}

// isSpace is netpbm's whitespace, and Python's: space, \t, \n, \v, \f, \r.
func isSpace(c byte) bool { return c == ' ' || c-'\t' <= '\r'-'\t' }

// countingReader reads a file from its start, keeping count of the bytes
// read, so that the raw data's offset is known when the header ends.
type countingReader struct {
	br *bufio.Reader
	n  int64
}

func (r *countingReader) ReadByte() (byte, error) {
	c, err := r.br.ReadByte()
	if err == nil {
		r.n++
	}
	return c, err
}

// readHeader reads a netpbm header as the reference reads it: the magic
// number and the whitespace after it, then the width, the height and, but
// for PBM, the maxval, each a token ended by one whitespace byte. A comment,
// from '#' to the end of its line, is cut out wherever it stands, so that
// "1#c\n2" is the number 12 (the reference's reading, not netpbm's).
func readHeader(r *countingReader) (*header, error) {
	var magic [2]byte
	for i := range magic {
		c, err := r.ReadByte()
		if err != nil {
			return nil, truncated(err, "the magic number")
		}
		magic[i] = c
	}
	if magic[0] != 'P' || magic[1] < '1' || magic[1] > '6' {
		return nil, fmt.Errorf("not a netpbm file (magic %q)", magic[:])
	}
	h := &header{magic: magic[1], maxval: 1}
	// The reference takes the magic number up to the first whitespace, so
	// it refuses "P1#comment"; netpbm reads it, and so does rlec.
	if c, err := r.br.Peek(1); err == nil {
		switch {
		case isSpace(c[0]):
			r.ReadByte()
		case c[0] != '#':
			return nil, fmt.Errorf("not a netpbm file (magic %q)", append(magic[:], c[0]))
		}
	}
	fields := []struct {
		name string
		dst  *int
	}{{"width", &h.width}, {"height", &h.height}, {"maxval", &h.maxval}}
	if h.magic == '1' || h.magic == '4' {
		fields = fields[:2]
	}
	var buf [maxToken + 1]byte
	for _, f := range fields {
		tok, err := readToken(r, buf[:0])
		if err != nil {
			return nil, fmt.Errorf("reading the %s: %w", f.name, err)
		}
		v, ok := parseInt(tok)
		if !ok {
			return nil, fmt.Errorf("the %s %q is not a number", f.name, tok)
		}
		if f.name == "maxval" && (v < 1 || v > 65535) {
			return nil, fmt.Errorf("maxval %d is outside 1..65535", v)
		}
		if f.name != "maxval" && v < 1 {
			return nil, fmt.Errorf("the %s %d is not positive", f.name, v)
		}
		if v > bitmap.MaxDimension {
			return nil, fmt.Errorf("the %s %d is over %d, the most a .rle file holds", f.name, v, bitmap.MaxDimension)
		}
		*f.dst = int(v)
	}
	h.offset = r.n
	return h, nil
}

// readToken reads the next header token into buf, as the reference's
// _read_token does: whitespace before it is skipped, one whitespace byte
// (or the end of the file) ends it, comments inside it are cut out, and it
// may not be longer than maxToken bytes.
func readToken(r *countingReader, buf []byte) ([]byte, error) {
	for len(buf) <= maxToken {
		c, err := r.ReadByte()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch {
		case isSpace(c):
			if len(buf) == 0 {
				continue
			}
			return buf, nil
		case c == '#':
			if err := skipComment(r); err != nil {
				return nil, err
			}
			continue
		}
		buf = append(buf, c)
	}
	if len(buf) == 0 {
		return nil, errors.New("the header ends early")
	}
	if len(buf) > maxToken {
		return nil, fmt.Errorf("header token %q... is longer than %d bytes", buf[:maxToken], maxToken)
	}
	return buf, nil
}

// skipComment reads up to and including the end of a comment's line: a
// '\n' or a '\r', or the end of the file.
func skipComment(r io.ByteReader) error {
	for {
		c, err := r.ReadByte()
		if err == io.EOF || err == nil && (c == '\n' || c == '\r') {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// parseInt reads a number as Python's int() reads a string: an optional
// sign, then decimal digits, which single underscores may separate. The
// reference reads every header field and plain sample so.
func parseInt(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > maxToken {
		return 0, false
	}
	var v int64
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			v = 10*v + int64(c-'0')
		case c == '_' && i > 0 && i < len(b)-1 && b[i-1] != '_':
		default:
			return 0, false
		}
	}
	if neg {
		v = -v
	}
	return v, true
}

// truncated is the error for data that ends before what it should hold.
func truncated(err error, what string) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("the file ends in %s", what)
	}
	return fmt.Errorf("reading %s: %w", what, err)
}
