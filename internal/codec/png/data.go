package png

import (
	"fmt"
	"io"
	"slices"

	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/png/zstream"
)

// dataBufSize is how much of the image data one read of the file takes: a
// block of Pillow's.
const dataBufSize = zstream.BlockSize

// dataReader reads the zlib stream of the image data: the data of the
// first data chunk, then of each IDAT, DDAT or fdAT chunk that follows it
// directly, as Pillow's load_read does, checksums unchecked. The stream
// ends at the first chunk of another type, or at the end of the file.
//
// It is the zstream.Source of the image data's zlib stream.
type dataReader struct {
	s        *stream
	off, end int64 // the next byte to read, and the end of the chunk's data
	buf      []byte
	pos      int   // buf[pos:] is read and not yet consumed
	err      error // how the data ended
	// stay stops the reader at the end of the block it is in: a read of
	// the file, as Pillow reads it, up to 64 KiB of one chunk.
	stay bool
	// spans are the stretches of the file the data was read from, to
	// read it again (Replay).
	spans [][2]int64
}

func newDataReader(s *stream, h *header) *dataReader {
	d := &dataReader{s: s, off: h.dataOff, end: h.data.data() + h.data.length}
	d.spans = append(d.spans, [2]int64{d.off, d.end})
	return d
}

func (d *dataReader) ReadByte() (byte, error) {
	if d.pos == len(d.buf) {
		if err := d.fill(); err != nil {
			return 0, err
		}
	}
	b := d.buf[d.pos]
	d.pos++
	return b, nil
}

func (d *dataReader) Read(p []byte) (int, error) {
	if d.pos == len(d.buf) {
		if err := d.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, d.buf[d.pos:])
	d.pos += n
	return n, nil
}

// dataSpans lists the stretches of the file that hold the image data, as
// Pillow reads them: the chunks the reader has been in, and the chunks of
// data that follow them. cut reports that the file ends in the last.
func (d *dataReader) dataSpans() (spans [][2]int64, cut bool) {
	spans = slices.Clone(d.spans)
	for off := spans[len(spans)-1][1]; ; {
		c, ok, err := d.s.header(off + 4)
		if err != nil || !ok {
			break
		}
		start := c.data()
		switch c.typ.String() {
		case "fdAT":
			start += 4
		case "IDAT", "DDAT":
		default:
			start = -1
		}
		if start < 0 || start > c.data()+c.length {
			break
		}
		spans = append(spans, [2]int64{start, c.data() + c.length})
		off = c.data() + c.length
	}
	return spans, !codec.Available(d.s.r, d.s.size, spans[len(spans)-1][1])
}

// Ended reports whether the data has ended, at the end of the file or at
// a chunk of another type, and not only for now, at the end of a block.
func (d *dataReader) Ended() bool { return d.err == io.EOF && !d.stay }

// Replay reads the image data again from its start.
func (d *dataReader) Replay() (io.Reader, [][2]int64) {
	spans, _ := d.dataSpans()
	var rs []io.Reader
	for _, span := range spans {
		rs = append(rs, io.NewSectionReader(d.s.r, span[0], span[1]-span[0]))
	}
	return io.MultiReader(rs...), spans
}

// more reports whether the data goes on past what has been read, without
// moving the reader.
func (d *dataReader) more() bool {
	if d.err != nil {
		return false
	}
	if d.off < d.end {
		return codec.Available(d.s.r, d.s.size, d.off+1)
	}
	for off := d.end; ; {
		c, ok, err := d.s.header(off + 4)
		if err != nil || !ok {
			return false
		}
		skip := int64(0)
		switch c.typ.String() {
		case "fdAT":
			skip = 4
		case "IDAT", "DDAT":
		default:
			return false
		}
		if c.length > skip {
			return codec.Available(d.s.r, d.s.size, c.data()+skip+1)
		}
		off = c.data() + c.length
	}
}

// fill reads the next piece of the data into buf, moving on to the next
// chunk when this one is done.
func (d *dataReader) fill() error {
	if d.err != nil {
		return d.err
	}
	if d.stay {
		return io.EOF
	}
	for d.off == d.end {
		if err := d.nextChunk(); err != nil {
			d.err = err
			return err
		}
	}
	n := int(min(dataBufSize, d.end-d.off))
	if cap(d.buf) < n {
		// As big as the data needs: small images take little memory.
		d.buf = make([]byte, max(n, min(2*cap(d.buf), dataBufSize)))
	}
	m, err := d.s.r.ReadAt(d.buf[:n], d.off)
	if m == 0 {
		if err == nil || err == io.EOF {
			err = io.EOF // the file ends inside the chunk
		}
		d.err = err
		return err
	}
	d.buf, d.pos = d.buf[:m], 0
	d.off += int64(m)
	return nil
}

// nextChunk moves to the data of the next chunk, or fails with io.EOF when
// the image data ends there.
func (d *dataReader) nextChunk() error {
	c, ok, err := d.s.header(d.end + 4) // past the checksum
	switch {
	case err != nil:
		return err
	case !ok:
		return io.EOF
	case !c.typ.valid():
		return fmt.Errorf("bad chunk type %q at offset %d", c.typ[:], c.off)
	}
	switch c.typ.String() {
	case "IDAT", "DDAT":
		d.off = c.data()
	case "fdAT":
		seq, err := d.s.fdATSeq(c)
		if err != nil {
			return err
		}
		if err := d.s.nextSeq(seq, true); err != nil {
			return err
		}
		d.off = c.data() + 4
	default:
		return io.EOF
	}
	d.end = c.data() + c.length
	d.spans = append(d.spans, [2]int64{d.off, d.end})
	return nil
}
