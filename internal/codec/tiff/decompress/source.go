package decompress

import "io"

// sourceBuf is how much of a block's stored data a source reads at a time.
const sourceBuf = 32 << 10

// source reads the stored bytes of one strip or tile, buffered, with the
// bits of every byte reversed for FillOrder 2 (as libtiff does before any
// decompression). It ends with io.EOF at the end of the block's data. It
// is an io.ByteReader, so that compress/flate reads no further than it
// needs, and it can be reset to another block without a new buffer.
type source struct {
	r       io.ReaderAt
	off     int64 // file offset of the next read
	left    int64 // bytes of the block not yet read into buf; -1: to the end of the file
	reverse bool
	buf     []byte
	pos     int // buf[pos:] is read and not yet consumed
	err     error
}

// reset points s at n bytes from off (n < 0: all that follows off).
func (s *source) reset(r io.ReaderAt, off uint64, n int64, reverse bool) {
	if s.buf == nil {
		s.buf = make([]byte, 0, sourceBuf)
	}
	s.r, s.off, s.left, s.reverse = r, int64(min(off, 1<<62)), n, reverse
	s.buf, s.pos, s.err = s.buf[:0], 0, nil
}

// fill reads the next stretch of the block into buf.
func (s *source) fill() error {
	if s.err != nil {
		return s.err
	}
	if s.left == 0 {
		s.err = io.EOF
		return s.err
	}
	n := int64(cap(s.buf))
	if s.left > 0 {
		n = min(n, s.left)
	}
	b := s.buf[:n]
	got, err := s.r.ReadAt(b, s.off)
	if got == 0 {
		if err == nil || err == io.EOF {
			err = io.EOF
		}
		s.err = err
		return err
	}
	s.buf, s.pos = b[:got], 0
	s.off += int64(got)
	if s.left > 0 {
		s.left -= int64(got)
	}
	if s.reverse {
		ReverseBits(s.buf)
	}
	return nil
}

// ReadByte returns the block's next byte.
func (s *source) ReadByte() (byte, error) {
	if s.pos == len(s.buf) {
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
	b := s.buf[s.pos]
	s.pos++
	return b, nil
}

// Read reads the block's next bytes.
func (s *source) Read(p []byte) (int, error) {
	if s.pos == len(s.buf) {
		if len(p) == 0 {
			return 0, nil
		}
		if err := s.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, s.buf[s.pos:])
	s.pos += n
	return n, nil
}

// next returns the block's buffered bytes not yet consumed, reading more
// when there are none; the caller consumes them with skip.
func (s *source) next() ([]byte, error) {
	if s.pos == len(s.buf) {
		if err := s.fill(); err != nil {
			return nil, err
		}
	}
	return s.buf[s.pos:], nil
}

func (s *source) skip(n int) { s.pos += n }
