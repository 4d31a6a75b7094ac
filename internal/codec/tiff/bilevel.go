package tiff

import (
	"fmt"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/tiff/decompress"
	"github.com/rlec/rlec/internal/codec/tiff/mode"
	"github.com/rlec/rlec/internal/convert"
)

// bilevel is an image of one bit a pixel: a min-is-white or min-is-black
// image, or a two-colour palette. Its rows go straight into the bitset,
// a whole row of bytes (or, for CCITT, of words) at a time.
type bilevel struct {
	f      *file
	l      *layout
	invert bool // a 0 bit is white
	fill   int  // -1, or the colour (0 or 1) of every pixel: a palette of one colour

	y    int
	err  error
	rr   *rowReader // compressed strips other than CCITT, and tiles
	rows [][]byte
	dec  *decoder // CCITT strips
	buf  []byte   // uncompressed strips: rows as the file holds them
}

// rawBilevel is a bilevel image stored uncompressed in strips, whose rows
// can be read at any place, by several goroutines at once.
type rawBilevel struct{ *bilevel }

func newBilevel(f *file, l *layout) codec.Image {
	b := &bilevel{f: f, l: l, invert: l.invert, fill: -1}
	if l.kind == mode.Palette {
		b.invert, b.fill = convert.OneBit(l.palette)
	}
	switch {
	case l.compression == decompress.None && !l.tiled:
		return rawBilevel{b}
	case decompress.IsFax(l.compression) && !l.tiled:
		b.dec = newDecoder(f, l)
	default:
		b.rr = newRowReader(f, l)
	}
	return b
}

func (b *bilevel) Size() (int, int) { return b.l.width, b.l.height }

// ReadRows reads the next band.Height rows.
func (b *bilevel) ReadRows(band *bitmap.Bitmap) error {
	if b.err != nil {
		return b.err
	}
	if err := codec.CheckBand(band, b.l.width, b.l.height, b.y); err != nil {
		return err
	}
	for k := range band.Height {
		row := band.Row(k)
		var err error
		if b.dec != nil {
			err = b.faxRow(row)
		} else {
			err = b.nextRow(row)
		}
		if err != nil {
			b.err = err
			return err
		}
		b.paint(row)
		b.y++
	}
	return nil
}

// faxRow reads the next row of a CCITT-coded image.
func (b *bilevel) faxRow(row []uint64) error {
	l := b.l
	s, i := b.y/l.blockH, b.y%l.blockH
	if i == 0 {
		if err := b.dec.open(s, l.width, l.blockRows(s)); err != nil {
			return err
		}
	}
	if err := b.dec.readFaxRow(row); err != nil {
		return err
	}
	// The decoder's 1s are white runs, stored as 0 bits: white under
	// min-is-white, black under min-is-black.
	if !b.invert {
		for j := range row {
			row[j] = ^row[j]
		}
		row[len(row)-1] &= bitmap.TailMask(l.width)
	}
	return nil
}

// nextRow reads the next row through the row reader.
func (b *bilevel) nextRow(row []uint64) error {
	if b.rows == nil {
		b.rows = [][]byte{make([]byte, b.rr.rowBytes())}
	}
	if err := b.rr.next(b.rows); err != nil {
		return err
	}
	bitmap.LoadRow(row, b.rows[0], b.l.width, b.invert)
	return nil
}

// paint makes every pixel of a row the colour of a one-colour palette.
func (b *bilevel) paint(row []uint64) {
	if b.fill >= 0 {
		bitmap.FillRow(row, b.l.width, b.fill == 1)
	}
}

// maxReadBytes bounds one read of uncompressed rows.
const maxReadBytes = 256 << 10

// ReadRows reads the next band.Height rows of an uncompressed image.
func (b rawBilevel) ReadRows(band *bitmap.Bitmap) error {
	if b.err != nil {
		return b.err
	}
	if err := codec.CheckBand(band, b.l.width, b.l.height, b.y); err != nil {
		return err
	}
	var err error
	if b.buf, err = b.ReadRowsAt(band, b.y, b.buf); err != nil {
		b.err = err
		return err
	}
	b.y += band.Height
	return nil
}

// ReadRowsAt reads rows y0 .. y0+band.Height-1 into band, from the strips
// that hold them, a stretch of rows at a time.
func (b rawBilevel) ReadRowsAt(band *bitmap.Bitmap, y0 int, buf []byte) ([]byte, error) {
	l := b.l
	if err := codec.CheckBand(band, l.width, l.height, y0); err != nil {
		return buf, err
	}
	stride := l.rowBytes(l.width)
	for done := 0; done < band.Height; {
		y := y0 + done
		s, i := y/l.blockH, y%l.blockH
		n := min(band.Height-done, l.blockRows(s)-i, max(1, maxReadBytes/stride))
		if cap(buf) < n*stride {
			buf = make([]byte, n*stride)
		}
		chunk := buf[:n*stride]
		if err := b.f.readAt(chunk, l.offsets[s]+uint64(i*stride)); err != nil {
			return buf, fmt.Errorf("truncated in strip %d, rows %d to %d: %w", s, y, y+n, err)
		}
		if l.fillOrder2 {
			decompress.ReverseBits(chunk)
		}
		for k := range n {
			row := band.Row(done + k)
			bitmap.LoadRow(row, chunk[k*stride:(k+1)*stride], l.width, b.invert)
			b.paint(row)
		}
		done += n
	}
	return buf, nil
}
