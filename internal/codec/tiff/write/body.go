package write

import (
	"encoding/binary"
	"io"
)

// flushSize is how many bytes a body gathers before it writes them.
const flushSize = 128 << 10

// body is where the bytes of the file go, in order: to a file at their
// offsets, to a stream as they come, or, for a stream whose header can
// only be written at the end, into memory until then.
type body struct {
	w    io.Writer
	wa   io.WriterAt // nil for a stream
	hold bool        // a stream whose bytes are held until finish
	buf  []byte      // bytes not yet written; when held, all of them
	pos  int64       // the file offset of the end of buf
	err  error
}

// newBody starts the file with head, the header. A writer that is also an
// io.WriterAt gets it at offset 0 at once; one that cannot take it there,
// with nothing written (a pipe, a file opened to append), is written as a
// stream.
func newBody(w io.Writer, hold bool, head []byte) *body {
	b := &body{w: w, buf: make([]byte, 0, flushSize)}
	if wa, ok := w.(io.WriterAt); ok {
		n, err := wa.WriteAt(head, 0)
		if err == nil {
			b.wa, b.pos = wa, int64(len(head))
			return b
		}
		if n > 0 {
			b.err = err
			return b
		}
	}
	b.hold = hold
	b.buf = append(b.buf, head...)
	b.pos = int64(len(head))
	return b
}

// Write adds p to the file; it is how the Group 4 coder writes.
func (b *body) Write(p []byte) (int, error) {
	start := len(b.buf)
	b.buf = append(b.buf, p...)
	return len(p), b.grew(start)
}

// grew accounts for what was appended to buf from start on, and writes
// buf out when it is full.
func (b *body) grew(start int) error {
	b.pos += int64(len(b.buf) - start)
	if b.hold || len(b.buf) < flushSize {
		return b.err
	}
	return b.flush()
}

// flush writes out buf.
func (b *body) flush() error {
	if b.err != nil || len(b.buf) == 0 {
		return b.err
	}
	if b.wa != nil {
		_, b.err = b.wa.WriteAt(b.buf, b.pos-int64(len(b.buf)))
	} else {
		_, b.err = b.w.Write(b.buf)
	}
	b.buf = b.buf[:0]
	return b.err
}

// finish writes out what is left and, when patch is set, points the
// header at the IFD, at ifdOff; last, so that a file cut short has no IFD.
func (b *body) finish(ifdOff uint32, patch bool) error {
	if patch && b.hold {
		binary.LittleEndian.PutUint32(b.buf[4:], ifdOff) // buf holds the whole file
	}
	if err := b.flush(); err != nil {
		return err
	}
	if patch && b.wa != nil {
		_, b.err = b.wa.WriteAt(binary.LittleEndian.AppendUint32(nil, ifdOff), 4)
	}
	return b.err
}
