package png

import (
	"compress/flate"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/png/scanline"
	"github.com/rlec/rlec/internal/codec/png/zstream"
)

// encodeLevel is the zlib level the encoder compresses at: of the levels
// whose files stay within 1.2 times the size of Pillow's, the fastest.
const encodeLevel = zlib.BestSpeed

// maxIDAT is the most data one IDAT chunk the encoder writes holds.
const maxIDAT = 64 << 10

// rowBatch is about how many bytes of rows the encoder hands zlib at once.
const rowBatch = 32 << 10

// encoder writes a 1-bit greyscale PNG (white is 1, as it is in the
// bitset), band by band: every row with filter type 0, the rows deflated
// as they come, in IDAT chunks of at most maxIDAT bytes.
type encoder struct {
	width, height int
	y             int // rows written
	stride        int // bytes of a row, without its filter byte
	w             io.Writer
	z             *flate.Writer
	sum           zstream.Adler // of the rows, for the zlib stream's end
	idat          *idatWriter
	rows          []byte // rows not yet given to zlib, each with its filter byte
	err           error
}

// NewEncoder starts writing a width×height 1-bit greyscale PNG to w, with
// a pHYs chunk when opt.DPI is set. opt.Compression may be "" or "deflate".
func NewEncoder(w io.Writer, width, height int, opt codec.WriteOptions) (codec.Encoder, error) {
	return newEncoder(w, width, height, opt, encodeLevel)
}

func newEncoder(w io.Writer, width, height int, opt codec.WriteOptions, level int) (*encoder, error) {
	if width < 1 || height < 1 || width > bitmap.MaxDimension || height > bitmap.MaxDimension {
		return nil, fmt.Errorf("cannot write a %dx%d image: PNG sizes start at 1, and rlec's end at %d", width, height, bitmap.MaxDimension)
	}
	if opt.DPI < 0 {
		return nil, fmt.Errorf("negative resolution %d dpi", opt.DPI)
	}
	if opt.Compression != "" && opt.Compression != "deflate" {
		return nil, fmt.Errorf("PNG has no compression %q: its only one is deflate", opt.Compression)
	}
	e := &encoder{width: width, height: height, stride: bitmap.PackedStride(width), w: w}
	head := []byte(signature)
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(width))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(height))
	ihdr = append(ihdr, 1, scanline.Grey, 0, 0, 0) // 1 bit, deflate, filter method 0, not interlaced
	head = appendChunk(head, "IHDR", ihdr)
	if opt.DPI > 0 {
		// Pixels per metre, rounded as Pillow rounds them.
		ppm := uint32(float64(opt.DPI)/0.0254 + 0.5)
		phys := binary.BigEndian.AppendUint32(nil, ppm)
		phys = binary.BigEndian.AppendUint32(phys, ppm)
		head = appendChunk(head, "pHYs", append(phys, 1))
	}
	if _, err := w.Write(head); err != nil {
		return nil, err
	}
	e.idat = &idatWriter{w: w, buf: make([]byte, 8, 8+maxIDAT+4)}
	// The zlib stream is written here around compress/flate, as
	// compress/zlib would write it, for the faster checksum (zstream.Adler).
	z, err := flate.NewWriter(e.idat, level)
	if err != nil {
		return nil, err
	}
	e.z, e.sum = z, zstream.NewAdler()
	e.idat.Write(zlibHeader(level))
	e.rows = make([]byte, 0, max(rowBatch, 1+8*bitmap.WordsPerRow(width)))
	return e, nil
}

// WriteRows writes the next band.Height rows.
func (e *encoder) WriteRows(band *bitmap.Bitmap) error {
	if e.err != nil {
		return e.err
	}
	if err := codec.CheckBand(band, e.width, e.height, e.y); err != nil {
		return err
	}
	// AppendRowBytes writes whole words before it cuts the row to size.
	room := 1 + 8*bitmap.WordsPerRow(e.width)
	for y := range band.Height {
		if len(e.rows)+room > cap(e.rows) {
			if e.err = e.flushRows(); e.err != nil {
				return e.err
			}
		}
		e.rows = append(e.rows, 0) // filter type 0
		e.rows = bitmap.AppendRowBytes(e.rows, band.Row(y), e.stride)
	}
	e.y += band.Height
	return nil
}

func (e *encoder) flushRows() error {
	e.sum.Write(e.rows)
	_, err := e.z.Write(e.rows)
	e.rows = e.rows[:0]
	return err
}

// Close ends the zlib stream and writes the last IDAT chunk and IEND.
func (e *encoder) Close() error {
	if e.err != nil {
		return e.err
	}
	if e.y != e.height {
		e.err = fmt.Errorf("closed after %d of the image's %d rows", e.y, e.height)
		return e.err
	}
	e.err = errors.New("the encoder is closed")
	if err := e.flushRows(); err != nil {
		return err
	}
	if err := e.z.Close(); err != nil {
		return err
	}
	if _, err := e.idat.Write(binary.BigEndian.AppendUint32(nil, e.sum.Sum32())); err != nil {
		return err
	}
	if err := e.idat.flush(); err != nil {
		return err
	}
	_, err := e.w.Write(appendChunk(nil, "IEND", nil))
	return err
}

// zlibHeader is the header of a zlib stream deflated at level: a 32 KiB
// window, and the level's hint.
func zlibHeader(level int) []byte {
	var hint byte
	switch level {
	case 2, 3, 4, 5:
		hint = 1
	case zlib.DefaultCompression, 6:
		hint = 2
	case 7, 8, 9:
		hint = 3
	}
	cmf, flg := byte(0x78), hint<<6
	flg |= byte(31 - (uint(cmf)<<8|uint(flg))%31)
	return []byte{cmf, flg}
}

// idatWriter cuts what zlib writes into IDAT chunks.
type idatWriter struct {
	w io.Writer
	// buf holds a chunk being filled: 8 bytes for its length and type,
	// its data, and room for its checksum.
	buf []byte
}

func (iw *idatWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), 8+maxIDAT-len(iw.buf))
		iw.buf = append(iw.buf, p[:k]...)
		p = p[k:]
		if len(iw.buf) == 8+maxIDAT {
			if err := iw.flush(); err != nil {
				return n - len(p), err
			}
		}
	}
	return n, nil
}

// flush writes the data gathered as an IDAT chunk, if there is any.
func (iw *idatWriter) flush() error {
	if len(iw.buf) == 8 {
		return nil
	}
	b := iw.buf
	binary.BigEndian.PutUint32(b, uint32(len(b)-8))
	copy(b[4:], "IDAT")
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
	_, err := iw.w.Write(b)
	iw.buf = iw.buf[:8]
	return err
}

// appendChunk appends a chunk of type typ holding data to b.
func appendChunk(b []byte, typ string, data []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	start := len(b)
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
}
