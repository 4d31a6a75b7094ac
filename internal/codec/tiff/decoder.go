package tiff

import (
	"errors"
	"fmt"
	"io"

	"github.com/rlec/rlec/internal/codec/tiff/decompress"
)

// decoder reads the rows of the image's strips or tiles, one block at a
// time, decompressed, the predictor undone: the bytes libtiff's
// TIFFReadEncodedStrip gives. It reads no more rows than a block holds,
// however long its compressed data runs, and puts the errors of
// decompression in context.
type decoder struct {
	l *layout
	f *file
	r *decompress.Reader

	block, row, rows int // the block being read, its next row, and its rows
}

func newDecoder(f *file, l *layout) *decoder {
	return &decoder{l: l, f: f, r: decompress.NewReader(l.params())}
}

// open starts block i, width pixels wide and rows rows high.
func (d *decoder) open(i, width, rows int) error {
	d.block, d.row, d.rows = i, 0, rows
	if d.f.size < 0 {
		if err := d.l.checkBlock(d.f, i); err != nil {
			return err
		}
	}
	off, n := d.l.extent(i)
	if err := d.r.Reset(d.f.r, off, n, width, rows, d.l.rowBytes(width)); err != nil {
		return d.fail(err)
	}
	return nil
}

// readRow reads the block's next row into p, at least as long as a row of
// the block.
func (d *decoder) readRow(p []byte) error {
	return d.next(func() error { return d.r.ReadRow(p) })
}

// readFaxRow reads the next row of a CCITT block into dst, a bitmap row
// as wide as the block: 1 for the pixels of white runs.
func (d *decoder) readFaxRow(dst []uint64) error {
	return d.next(func() error { return d.r.ReadFaxRow(dst) })
}

// next reads the block's next row with read.
func (d *decoder) next(read func() error) error {
	if d.row >= d.rows {
		return fmt.Errorf("%s has only %d rows", d.l.blockName(d.block), d.rows)
	}
	if err := read(); err != nil {
		return d.fail(err)
	}
	d.row++
	return nil
}

// fail puts an error in context: the block and row it happened in.
func (d *decoder) fail(err error) error {
	what := fmt.Sprintf("%s (%s), row %d", d.l.blockName(d.block), decompress.Names[uint64(d.l.compression)], d.row)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: the data ends early", what)
	}
	return fmt.Errorf("%s: %w", what, err)
}
