package pnm

import (
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
)

// HeaderP4 is the header of the raw PBM rlec writes: "P4\n<width> <height>\n".
// Row y of the image follows it at len(HeaderP4(w, h)) + y*P4Stride(w).
func HeaderP4(width, height int) []byte {
	b := append([]byte("P4\n"), strconv.Itoa(width)...)
	b = append(b, ' ')
	b = append(b, strconv.Itoa(height)...)
	return append(b, '\n')
}

// Layout is where the rows of the raw PBM of a width×height image sit, for
// writers that place them (codec.Format.Layout).
func Layout(width, height int, opt codec.WriteOptions) (*codec.Layout, error) {
	if width < 1 || height < 1 || width > bitmap.MaxDimension || height > bitmap.MaxDimension {
		return nil, fmt.Errorf("cannot write a %dx%d PBM", width, height)
	}
	return &codec.Layout{Header: HeaderP4(width, height), Stride: P4Stride(width), Height: height, Invert: true}, nil
}

// P4Stride is the size in bytes of a row of a raw PBM: its pixels, one bit
// each, padded to a byte.
func P4Stride(width int) int { return bitmap.PackedStride(width) }

// AppendRowP4 appends row, a bitmap row width pixels wide, as a raw PBM row:
// P4Stride(width) bytes, a 1 for each black pixel, most significant bit
// first, the padding bits zero.
func AppendRowP4(dst []byte, row []uint64, width int) []byte {
	if len(row) == 0 {
		return dst
	}
	start, n := len(dst), 8*len(row)
	dst = slices.Grow(dst, n)[:start+n]
	storeInverted(dst[start:], row)
	last := len(row) - 1
	binary.BigEndian.PutUint64(dst[start+8*last:], ^row[last]&bitmap.TailMask(width))
	return dst[:start+P4Stride(width)]
}

// storeInverted writes the words of src to dst, 8 bytes each, big-endian,
// every bit inverted: the loop that writes every PBM.
func storeInverted(dst []byte, src []uint64) {
	dst = dst[:8*len(src)]
	for i, w := range src {
		binary.BigEndian.PutUint64(dst[8*i:8*i+8], ^w)
	}
}

// encoder writes a raw PBM band by band.
type encoder struct {
	w             io.Writer
	width, height int
	y             int
	buf           []byte
}

// NewEncoder starts a raw PBM (P4) of width×height pixels on w, writing its
// header. PBM records no resolution, so opt.DPI is ignored.
func NewEncoder(w io.Writer, width, height int, opt codec.WriteOptions) (codec.Encoder, error) {
	if width < 1 || height < 1 || width > bitmap.MaxDimension || height > bitmap.MaxDimension {
		return nil, fmt.Errorf("cannot write a %dx%d PBM", width, height)
	}
	if _, err := w.Write(HeaderP4(width, height)); err != nil {
		return nil, err
	}
	return &encoder{w: w, width: width, height: height}, nil
}

// WriteRows writes the next band.Height rows, many rows a write.
func (e *encoder) WriteRows(band *bitmap.Bitmap) error {
	if err := codec.CheckBand(band, e.width, e.height, e.y); err != nil {
		return err
	}
	stride := P4Stride(e.width)
	perWrite := max(1, (1<<20)/stride)
	if e.buf == nil {
		// Room for a write's rows and the last one's whole words.
		e.buf = make([]byte, 0, min(perWrite, e.height)*stride+8)
	}
	for y := 0; y < band.Height; {
		n := min(perWrite, band.Height-y)
		e.buf = e.buf[:0]
		for i := range n {
			e.buf = AppendRowP4(e.buf, band.Row(y+i), e.width)
		}
		if _, err := e.w.Write(e.buf); err != nil {
			return err
		}
		y += n
	}
	e.y += band.Height
	return nil
}

// Close checks that every row was written; a PBM has no trailer.
func (e *encoder) Close() error {
	if e.y != e.height {
		return fmt.Errorf("wrote %d rows of a %d-row PBM", e.y, e.height)
	}
	return nil
}
