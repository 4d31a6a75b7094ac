package png

import (
	"compress/flate"
	"errors"
	"fmt"
	"io"

	"github.com/rlec/rlec/internal/codec/png/scanline"
	"github.com/rlec/rlec/internal/codec/png/zstream"
)

// rowReader inflates the image data and un-filters it a row at a time,
// holding two rows: the one being read and the one above it.
type rowReader struct {
	d         *dataReader
	z         *zstream.Reader
	unit      int    // the filters' unit
	cur, prev []byte // a row with its filter byte
	rows      int    // rows read
	left      int64  // bytes of image data still to read, filter bytes too
	// rowSize is the size of each row of the data, filter byte and all,
	// and nrows their number.
	rowSize func(int) int
	nrows   int
	// ended is set when the zlib stream ended cleanly on a row boundary
	// before the image did, and zlib reported the end with the last row
	// (zstream.Pillow.End): Pillow then stops, leaving the rows it has not
	// read zero. Had zlib reported the end in a later call, with no row,
	// Pillow would have waited for more data, and found the data cut
	// short.
	ended bool
}

// newRowReader reads the image data of h: nrows rows of rowSize(i) bytes,
// filter bytes and all, total bytes, none over 1+maxRow.
func newRowReader(s *stream, h *header, nrows int, rowSize func(int) int, total int64, maxRow int) *rowReader {
	d := newDataReader(s, h)
	return &rowReader{
		d:       d,
		z:       zstream.NewReader(d),
		unit:    h.filterUnit(),
		cur:     make([]byte, 1+maxRow),
		prev:    make([]byte, 1+maxRow),
		left:    total,
		rowSize: rowSize,
		nrows:   nrows,
	}
}

// reset starts an interlacing pass: its first row has nothing above it.
func (rr *rowReader) reset() { clear(rr.prev) }

// next returns the next row, of n bytes, un-filtered. The row is valid
// until the call after next.
func (rr *rowReader) next(n int) ([]byte, error) {
	cur, prev := rr.cur[:1+n], rr.prev[:1+n]
	if rr.ended {
		clear(cur)
		return cur[1:], nil
	}
	k, err := io.ReadFull(rr.z, cur)
	if err == io.ErrUnexpectedEOF && rr.z.Cut() && rr.left-int64(k) <= zstream.MaxSalvage {
		// The data is cut short near the image's end: the bytes that
		// compress/flate held back may complete it, if Pillow would
		// have read them.
		if p := rr.z.Salvage(rr.rowSize, rr.nrows); p.Rows < rr.rows {
			return nil, fmt.Errorf("the image data ends in row %d", p.Rows)
		}
		var more int
		more, err = io.ReadFull(rr.z, cur[k:])
		k += more
	}
	if err != nil {
		if err == io.EOF && k == 0 && rr.rows > 0 && rr.z.Again(rr.rowSize, rr.nrows).End {
			rr.ended = true
			clear(cur)
			return cur[1:], nil
		}
		return nil, rr.dataError(err)
	}
	rr.left -= int64(len(cur))
	if err := scanline.Unfilter(cur[0], cur[1:], prev[1:], rr.unit); err != nil {
		return nil, fmt.Errorf("row %d of the image data: %w", rr.rows, err)
	}
	rr.rows++
	rr.cur, rr.prev = rr.prev, rr.cur
	return cur[1:], nil
}

// dataError says what went wrong reading the image data.
func (rr *rowReader) dataError(err error) error {
	var corrupt flate.CorruptInputError
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		return fmt.Errorf("the image data ends in row %d", rr.rows)
	case err == zstream.ErrHeader, err == zstream.ErrChecksum:
		return err
	case errors.As(err, &corrupt):
		return fmt.Errorf("the image data is corrupt in row %d: %w", rr.rows, err)
	}
	return fmt.Errorf("reading row %d of the image data: %w", rr.rows, err)
}

// finish is called after the last row the image needs, and reports
// whether the chunks after the image data are still to be checked. Pillow
// stops there, but not before zlib has gone on through what follows in the
// same block of data as far as it can without writing more: when that is
// the end of the stream, a bad checksum fails the image, and so does
// corrupt data; more data does not. Data that ends before the stream does
// may have left the last rows in zlib, never asked for. compress/flate,
// which decodes ahead, cannot say where it met the end or the corruption:
// zstream decodes the data again as zlib would (Reader.Again).
func (rr *rowReader) finish() (trailer bool, err error) {
	if rr.ended {
		return true, nil
	}
	if spans, cut := rr.d.dataSpans(); cut {
		// The file ends in the image data. Pillow goes on from the chunk
		// where zlib completed its last row, and refuses a chunk after it
		// that the end of the file cuts short.
		p := rr.z.Again(rr.rowSize, rr.nrows)
		switch {
		case p.Rows < rr.nrows:
			return false, fmt.Errorf("the image data ends in row %d", p.Rows)
		case p.Corrupt:
			return false, errors.New("the image data is corrupt after its last row")
		case p.Span < len(spans)-1:
			return false, errors.New("the file ends in a chunk of image data after the image's last row")
		}
		return false, nil
	}
	rr.d.stay = true
	var b [1]byte
	n, err := rr.z.Read(b[:])
	var corrupt flate.CorruptInputError
	switch {
	case n > 0:
	case err == zstream.ErrChecksum && rr.z.Again(rr.rowSize, rr.nrows).End:
		return false, errors.New("the image data fails its zlib checksum, after its last row")
	case err == io.ErrUnexpectedEOF && !rr.d.more(), errors.As(err, &corrupt):
		p := rr.z.Again(rr.rowSize, rr.nrows)
		switch {
		case p.Rows < rr.nrows:
			return false, fmt.Errorf("the image data ends in row %d", p.Rows)
		case p.Corrupt:
			return false, errors.New("the image data is corrupt after its last row")
		}
	}
	return true, nil
}
