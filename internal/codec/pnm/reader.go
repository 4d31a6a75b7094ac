package pnm

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/convert"
)

// Open reads the header of the netpbm image in r, of size bytes (-1 for a
// stream), and checks that the file can hold the data it declares.
func Open(r io.ReaderAt, size int64) (codec.Image, error) {
	cr := &countingReader{br: bufio.NewReaderSize(io.NewSectionReader(r, 0, 1<<62), 32<<10)}
	h, err := readHeader(cr)
	if err != nil {
		return nil, err
	}
	if h.plain() {
		return openPlain(h, cr.br, r, size)
	}
	return openRaw(h, r, size)
}

// Decode reads the whole netpbm image of size bytes in r, converted to
// black and white as the reference's convert("1") does.
func Decode(r io.ReaderAt, size int64) (*bitmap.Bitmap, error) {
	img, err := Open(r, size)
	if err != nil {
		return nil, err
	}
	return codec.Decode(img)
}

// maxReadBytes bounds one read of raw rows.
const maxReadBytes = 256 << 10

// openRaw opens a P4, P5 or P6 image. The reference gives P5 the mode L
// when maxval is below 256, else I; P6 is RGB. Samples are one byte when
// maxval is below 256, else two, big-endian; unless maxval is the mode's
// own (255, or 65535 for a P5) each is rescaled to the mode's range.
func openRaw(h *header, r io.ReaderAt, size int64) (codec.Image, error) {
	sampleBytes := 1
	if h.maxval > 255 {
		sampleBytes = 2
	}
	rowBytes := h.width * h.samples() * sampleBytes
	if h.magic == '4' {
		rowBytes = P4Stride(h.width)
	}
	if !codec.Available(r, size, h.offset+int64(rowBytes)*int64(h.height)) {
		return nil, fmt.Errorf("the file is too short for a %dx%d image: truncated", h.width, h.height)
	}
	if h.magic == '4' {
		return &bitImage{r: r, h: h, stride: rowBytes}, nil
	}
	var mode convert.Mode
	var expand func(dst, src []byte) []byte // a file row into the mode's layout, or nil
	switch {
	case h.magic == '5' && h.maxval == 255:
		mode = convert.L
	case h.magic == '5' && h.maxval == 65535:
		mode = convert.I16B
	case h.magic == '5' && h.maxval < 255:
		mode, expand = convert.L, lookup8(table8(256, h.maxval))
	case h.magic == '5':
		mode, expand = convert.I16, lookup16(table16(65536, h.maxval))
	case h.maxval == 255:
		mode = convert.RGB
	case h.maxval < 255:
		mode, expand = convert.RGB, lookup8(table8(256, h.maxval))
	default:
		mode, expand = convert.RGB, lookupWide8(table8(65536, h.maxval))
	}
	conv, err := convert.New(mode, h.width, nil)
	if err != nil {
		return nil, err
	}
	rows := &rawRows{r: r, off: h.offset, rowBytes: rowBytes, left: h.height}
	var out []byte
	if expand != nil {
		out = make([]byte, mode.RowBytes(h.width))
	}
	return &codec.RowByRow{Width: h.width, Height: h.height, Next: func(dst []uint64) error {
		row, err := rows.next()
		if err != nil {
			return err
		}
		if expand != nil {
			row = expand(out, row)
		}
		conv.Row(dst, row)
		return nil
	}}, nil
}

// lookup8 maps one-byte samples through t.
func lookup8(t []uint8) func(dst, src []byte) []byte {
	t = t[:256]
	return func(dst, src []byte) []byte {
		dst = dst[:len(src)]
		for i, v := range src {
			dst[i] = t[v]
		}
		return dst
	}
}

// lookupWide8 maps two-byte big-endian samples through t to bytes.
func lookupWide8(t []uint8) func(dst, src []byte) []byte {
	t = t[:65536]
	return func(dst, src []byte) []byte {
		dst = dst[:len(src)/2]
		for i := range dst {
			dst[i] = t[binary.BigEndian.Uint16(src[2*i:])]
		}
		return dst
	}
}

// lookup16 maps two-byte big-endian samples through t to the
// little-endian 16-bit samples of convert.I16.
func lookup16(t []uint16) func(dst, src []byte) []byte {
	t = t[:65536]
	return func(dst, src []byte) []byte {
		dst = dst[:len(src)]
		for i := 0; i+1 < len(src); i += 2 {
			binary.LittleEndian.PutUint16(dst[i:], t[binary.BigEndian.Uint16(src[i:])])
		}
		return dst
	}
}

// rawRows reads the rows of raw data in order, many at a time.
type rawRows struct {
	r        io.ReaderAt
	off      int64 // the next unread row
	rowBytes int
	left     int // rows not yet read from the file
	y        int // the next row handed out

	buf      []byte
	pos, end int // the rows in buf not yet handed out, in bytes
}

// next returns the next row of the file.
func (s *rawRows) next() ([]byte, error) {
	if s.pos == s.end {
		n := min(max(1, maxReadBytes/s.rowBytes), s.left)
		if n == 0 {
			return nil, fmt.Errorf("no row %d in the image", s.y)
		}
		if s.buf == nil {
			s.buf = make([]byte, n*s.rowBytes)
		}
		chunk := s.buf[:n*s.rowBytes]
		if _, err := s.r.ReadAt(chunk, s.off); err != nil {
			return nil, truncated(err, fmt.Sprintf("row %d", s.y))
		}
		s.off += int64(len(chunk))
		s.left -= n
		s.pos, s.end = 0, len(chunk)
	}
	row := s.buf[s.pos : s.pos+s.rowBytes]
	s.pos += s.rowBytes
	s.y++
	return row, nil
}

// bitImage is a raw PBM: rows of packed bits, 1 for black, at fixed
// offsets, read straight into the bitset in any order.
type bitImage struct {
	r      io.ReaderAt
	h      *header
	stride int

	y   int    // the next row ReadRows reads
	buf []byte // ReadRows' scratch
	err error
}

func (img *bitImage) Size() (int, int) { return img.h.width, img.h.height }

// ReadRowsAt reads rows y0 onwards into band, which may be the whole image
// or a small bitmap reused band after band.
func (img *bitImage) ReadRowsAt(band *bitmap.Bitmap, y0 int, buf []byte) ([]byte, error) {
	if err := codec.CheckBand(band, img.h.width, img.h.height, y0); err != nil {
		return buf, err
	}
	for done := 0; done < band.Height; {
		n := min(max(1, maxReadBytes/img.stride), band.Height-done)
		if cap(buf) < n*img.stride {
			buf = make([]byte, n*img.stride)
		}
		chunk := buf[:n*img.stride]
		off := img.h.offset + int64(y0+done)*int64(img.stride)
		if _, err := img.r.ReadAt(chunk, off); err != nil {
			return buf, truncated(err, fmt.Sprintf("rows %d to %d", y0+done, y0+done+n-1))
		}
		for i := range n {
			bitmap.LoadRow(band.Row(done+i), chunk[i*img.stride:], img.h.width, true)
		}
		done += n
	}
	return buf, nil
}

// ReadRows reads the next band.Height rows.
func (img *bitImage) ReadRows(band *bitmap.Bitmap) error {
	if img.err != nil {
		return img.err
	}
	if err := codec.CheckBand(band, img.h.width, img.h.height, img.y); err != nil {
		return err
	}
	img.buf, img.err = img.ReadRowsAt(band, img.y, img.buf)
	img.y += band.Height
	return img.err
}
