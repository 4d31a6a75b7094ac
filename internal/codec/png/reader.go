package png

import (
	"io"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/png/scanline"
	"github.com/rlec/rlec/internal/convert"
)

// Open reads the chunks of the PNG in r, of size bytes (-1 for a stream),
// up to its image data. A non-interlaced image is then read row by row;
// an interlaced one, whose rows are complete only after its last pass, is
// decoded whole when its first row is asked for.
func Open(r io.ReaderAt, size int64) (codec.Image, error) {
	s, h, err := readHeader(r, size)
	if err != nil {
		return nil, err
	}
	if h.interlaced {
		if err := checkInterlaced(s, h); err != nil {
			return nil, err
		}
		return &codec.Whole{Width: h.width, Height: h.height, Decode: func() (*bitmap.Bitmap, error) {
			return decodeInterlaced(s, h)
		}}, nil
	}
	d, err := newDecoder(s, h)
	if err != nil {
		return nil, err
	}
	return &codec.RowByRow{Width: h.width, Height: h.height, Next: d.next}, nil
}

// decoder reads a non-interlaced image a row at a time.
type decoder struct {
	s    *stream
	h    *header
	rows *rowReader
	lay  scanline.Layout
	conv *convert.Converter // nil for 1-bit grey rows, loaded as they are
	// src is a row in the converter's mode: the frame's pixels are
	// expanded into it, at the frame's place; the rest stays zero.
	src []byte
	y   int // the next image row
}

func newDecoder(s *stream, h *header) (*decoder, error) {
	d := &decoder{s: s, h: h, lay: scanline.LayoutOf(h.depth, h.ctype)}
	f := h.frame
	placed := f.x != 0 || f.w != h.width
	if d.lay.Mode == convert.Mode1 && placed {
		// Shifting bits into place is not worth it for this rare case:
		// black and white as grey levels dither to themselves.
		d.lay = scanline.Layout{Mode: convert.L, Expand: scanline.Unpacker(1, 255)}
	}
	if d.lay.Mode != convert.Mode1 {
		var err error
		if d.conv, err = convert.New(d.lay.Mode, h.width, h.palette); err != nil {
			return nil, err
		}
		if d.lay.Expand != nil || placed || f.h != h.height {
			d.src = make([]byte, d.lay.Mode.RowBytes(h.width))
		}
	}
	n := h.rowBytes(f.w)
	d.rows = newRowReader(s, h, f.h, func(int) int { return 1 + n }, int64(f.h)*int64(1+n), n)
	return d, nil
}

// next reads the next row of the image into dst.
func (d *decoder) next(dst []uint64) error {
	y, f := d.y, d.h.frame
	d.y++
	if y < f.y || y >= f.y+f.h {
		// Outside the frame the image is zero, in its mode.
		if d.conv == nil {
			clear(dst)
		} else {
			clear(d.src)
			d.conv.Row(dst, d.src)
		}
		return nil
	}
	raw, err := d.rows.next(d.h.rowBytes(f.w))
	if err != nil {
		return err
	}
	if y == f.y+f.h-1 {
		if err := d.finish(); err != nil {
			return err
		}
	}
	switch {
	case d.conv == nil:
		bitmap.LoadRow(dst, raw, d.h.width, false)
	case d.src == nil:
		d.conv.Row(dst, raw)
	default:
		at := d.lay.Mode.RowBytes(f.x)
		row := d.src[at : at+d.lay.Mode.RowBytes(f.w)]
		if d.lay.Expand != nil {
			d.lay.Expand(row, raw, f.w)
		} else {
			copy(row, raw)
		}
		d.conv.Row(dst, d.src)
	}
	return nil
}

// finish checks what follows the image's last row: the rest of the zlib
// stream as far as Pillow looks, then the chunks after the image data.
func (d *decoder) finish() error {
	return finish(d.s, d.h, d.rows)
}

func finish(s *stream, h *header, rows *rowReader) error {
	trailer, err := rows.finish()
	if err != nil || !trailer {
		return err
	}
	return s.trailer(rows.d.end, h.animated)
}
