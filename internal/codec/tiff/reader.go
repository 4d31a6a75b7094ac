package tiff

import (
	"io"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/tiff/mode"
	"github.com/rlec/rlec/internal/convert"
)

// Open reads the header and first IFD of the TIFF in r, of size bytes (-1
// for a stream), and checks every size and offset they declare against
// the file before anything is allocated for the pixels.
func Open(r io.ReaderAt, size int64) (codec.Image, error) {
	f, off, err := readHeader(r, size)
	if err != nil {
		return nil, err
	}
	d, err := f.readIFD(off)
	if err != nil {
		return nil, err
	}
	l, err := readLayout(f, d)
	if err != nil {
		return nil, err
	}
	if l.kind == mode.Bilevel || l.kind == mode.Palette && l.bps == 1 {
		return newBilevel(f, l), nil
	}
	return newConverted(f, l), nil
}

// Decode reads the whole TIFF of size bytes in r, converted to black and
// white as the reference does.
func Decode(r io.ReaderAt, size int64) (*bitmap.Bitmap, error) {
	img, err := Open(r, size)
	if err != nil {
		return nil, err
	}
	return codec.Decode(img)
}

// converted is an image of more than one bit a pixel, whose rows are
// unpacked into a mode of Pillow's and converted from it, one at a time.
type converted struct {
	codec.RowByRow
	l      *layout
	rr     *rowReader
	u      *unpacker
	conv   *convert.Converter
	planes [][]byte
}

func newConverted(f *file, l *layout) codec.Image {
	c := &converted{l: l, rr: newRowReader(f, l)}
	c.RowByRow = codec.RowByRow{Width: l.width, Height: l.height, Next: c.next}
	return c
}

// next reads, unpacks and converts the next row. The row buffers are made
// when the first row is read, not when the file is opened.
func (c *converted) next(dst []uint64) error {
	if c.conv == nil {
		c.u = newUnpacker(c.l)
		conv, err := convert.New(c.u.mode, c.l.width, c.l.palette)
		if err != nil {
			return err
		}
		c.conv = conv
		for range c.l.planes() {
			c.planes = append(c.planes, make([]byte, c.rr.rowBytes()))
		}
	}
	if err := c.rr.next(c.planes); err != nil {
		return err
	}
	c.conv.Row(dst, c.u.unpack(c.planes))
	return nil
}
