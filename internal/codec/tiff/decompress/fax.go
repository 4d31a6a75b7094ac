package decompress

import (
	"encoding/binary"
	"io"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/ccitt"
)

// resetFax reads the block's coded data, which the CCITT decoder takes
// whole: it is held in memory, as big as the file says (and holds).
func (d *Reader) resetFax(r io.ReaderAt, off uint64, n int64, width, rows int) error {
	var data []byte
	var err error
	if n < 0 {
		data, err = io.ReadAll(io.NewSectionReader(r, int64(min(off, 1<<62)), 1<<62))
		if err == nil && len(data) == 0 {
			err = io.ErrUnexpectedEOF
		}
	} else {
		if int64(cap(d.faxData)) < n {
			d.faxData = make([]byte, n)
		}
		data = d.faxData[:n]
		var got int
		got, err = r.ReadAt(data, int64(min(off, 1<<62)))
		if got == len(data) {
			err = nil
		} else if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
	}
	if err != nil {
		return err
	}
	if d.p.FillOrder2 {
		ReverseBits(data)
	}
	opt := ccitt.Options{Width: width, Height: rows}
	switch d.p.Compression {
	case CCITTRLE:
		opt.Coding = ccitt.ModifiedHuffman
	case CCITTFax3:
		opt.Coding = ccitt.T4
		opt.TwoD = d.p.T4Options&1 != 0
		opt.FillBits = d.p.T4Options&4 != 0
	case CCITTFax4:
		opt.Coding = ccitt.T6
	}
	d.fax, err = ccitt.NewDecoder(data, opt)
	return err
}

// ReadFaxRow reads the next row of a CCITT-coded block into dst, a bitmap
// row as wide as the block: 1 for the pixels of white runs. It is for
// CCITT blocks only, whose rows it gives without packing them in bytes.
func (d *Reader) ReadFaxRow(dst []uint64) error { return d.fax.ReadRow(dst) }

// readFax gives a CCITT row as libtiff stores it: a 1 bit for each pixel
// of a black run, whatever the photometric interpretation.
func (d *Reader) readFax(p []byte) error {
	words := bitmap.WordsPerRow(d.width)
	if cap(d.faxRow) < words {
		d.faxRow = make([]uint64, words)
	}
	row := d.faxRow[:words]
	if err := d.fax.ReadRow(row); err != nil {
		return err
	}
	for _, w := range row {
		w = ^w
		if len(p) >= 8 {
			binary.BigEndian.PutUint64(p, w)
			p = p[8:]
			continue
		}
		for j := range p {
			p[j] = byte(w >> (56 - 8*j))
		}
		break
	}
	return nil
}
