// Package write writes black-and-white images as 1-bit TIFFs, band by
// band, in CCITT Group 4 (T.6) coding, PackBits or uncompressed, with one
// IFD, min-is-white as fax software writes them.
//
// golang.org/x/image/tiff writes neither 1-bit images nor Group 4, and
// wants the whole image at once; libtiff cannot write to a pipe at all.
// Here rows are coded as they come: Group 4 by package ccitt, whose output
// is libtiff's bit for bit, and PackBits as libtiff codes it, so that the
// strips are those tiffcp writes. Since the strips' offsets and sizes are
// known only at the end, the IFD follows the data; a file is written in
// order and its header patched at the end (io.WriterAt), and a stream has
// its compressed strips held in memory until Close. Uncompressed strips,
// whose sizes are known ahead, go straight to any writer.
package write

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/ccitt"
	"github.com/rlec/rlec/internal/codec"
)

// Compressions, by their numbers in the Compression field.
const (
	compNone     = 1
	compG4       = 4
	compPackBits = 32773
)

// compressions are the names WriteOptions.Compression takes.
var compressions = map[string]int{"": compG4, "g4": compG4, "packbits": compPackBits, "none": compNone}

// stripBytes is how many bytes of uncompressed rows a strip holds, as
// libtiff lays strips out when the writer does not choose
// (TIFFDefaultStripSize). Group 4 images are one strip, as Ghostscript
// and ImageMagick write them: the coding starts afresh at each strip, so
// every strip costs size.
const stripBytes = 8 << 10

// encoder writes a TIFF: the 8-byte header, the strips, then the IFD and
// the values that do not fit in it.
type encoder struct {
	width, height int
	comp          int
	dpi           int
	stride        int // bytes of a stored row
	rps           int // rows per strip
	y             int // rows written
	out           *body
	offsets       []uint32 // of the strips begun
	counts        []uint32 // of the strips ended
	g4            *ccitt.Encoder
	row           []byte // a row to code in PackBits, as stored
	err           error
}

// NewEncoder starts writing a width×height 1-bit TIFF to w, compressed as
// opt.Compression says ("g4", the default, "packbits" or "none"). The
// resolution is recorded when opt.DPI is set, and left out otherwise, as
// Pillow, netpbm and libtiff's tools leave out one they do not know. When
// w is also an io.WriterAt, as files are, it is written at offsets from 0
// and nothing is held; otherwise compressed strips are held in memory
// until Close.
func NewEncoder(w io.Writer, width, height int, opt codec.WriteOptions) (codec.Encoder, error) {
	comp, ok := compressions[opt.Compression]
	if !ok {
		return nil, fmt.Errorf("no TIFF compression %q: rlec writes g4 (the default), packbits or none", opt.Compression)
	}
	if width < 1 || height < 1 || width > bitmap.MaxDimension || height > bitmap.MaxDimension {
		return nil, fmt.Errorf("cannot write a %dx%d image: TIFF sizes start at 1, and rlec's end at %d", width, height, bitmap.MaxDimension)
	}
	if opt.DPI < 0 || uint64(opt.DPI) > math.MaxUint32 {
		return nil, fmt.Errorf("resolution %d dpi is out of range", opt.DPI)
	}
	e := &encoder{width: width, height: height, comp: comp, dpi: opt.DPI, stride: bitmap.PackedStride(width)}
	e.rps = height
	if comp != compG4 {
		e.rps = min(height, max(1, stripBytes/e.stride))
	}
	// Uncompressed, the IFD's place is known now, and the header is final.
	var ifdOff uint32
	if comp == compNone {
		ifdOff = uint32(evenUp(headerSize + int64(e.stride)*int64(height)))
	}
	e.out = newBody(w, comp != compNone, header(ifdOff))
	if err := e.out.err; err != nil {
		return nil, err
	}
	return e, nil
}

// WriteRows writes the next band.Height rows, white pixels 1 in the band
// and 0 in the file.
func (e *encoder) WriteRows(band *bitmap.Bitmap) error {
	if e.err != nil {
		return e.err
	}
	if err := codec.CheckBand(band, e.width, e.height, e.y); err != nil {
		return err
	}
	for k := range band.Height {
		if e.err = e.writeRow(band.Row(k)); e.err != nil {
			return e.err
		}
	}
	return nil
}

// writeRow codes a row into the current strip, starting or ending the
// strip as need be.
func (e *encoder) writeRow(row []uint64) error {
	if e.y%e.rps == 0 {
		e.offsets = append(e.offsets, uint32(e.out.pos))
		if e.comp == compG4 {
			e.g4 = ccitt.NewT6Encoder(e.out, e.width)
		}
	}
	var err error
	switch e.comp {
	case compG4:
		// The coder's white runs are 0 bits, white under min-is-white.
		err = e.g4.WriteRow(row)
	case compPackBits:
		e.row = appendInverted(e.row[:0], row, e.width)
		start := len(e.out.buf)
		e.out.buf = appendPackBits(e.out.buf, e.row)
		err = e.out.grew(start)
	default:
		start := len(e.out.buf)
		e.out.buf = appendInverted(e.out.buf, row, e.width)
		err = e.out.grew(start)
	}
	if err != nil {
		return err
	}
	e.y++
	if e.y%e.rps == 0 || e.y == e.height {
		if e.comp == compG4 {
			if err := e.g4.Close(); err != nil {
				return err
			}
		}
		e.counts = append(e.counts, uint32(e.out.pos-int64(e.offsets[len(e.offsets)-1])))
	}
	if e.out.pos > maxData {
		return errors.New("the compressed image passes 4 GiB, more than a TIFF holds")
	}
	return nil
}

// maxData bounds the data so that the IFD and its values, at most a
// megabyte, still lie within the 4 GiB a TIFF's 32-bit offsets reach.
const maxData = math.MaxUint32 - 1<<20

// Close writes the IFD after the last row and, for a file, patches the
// header to point at it; for a stream, it writes what was held.
func (e *encoder) Close() error {
	if e.err != nil {
		return e.err
	}
	if e.y != e.height {
		e.err = fmt.Errorf("closed after %d of the image's %d rows", e.y, e.height)
		return e.err
	}
	e.err = errors.New("the encoder is closed")
	start := len(e.out.buf)
	ifdOff := evenUp(e.out.pos) // on a word boundary
	e.out.buf = append(e.out.buf, make([]byte, ifdOff-e.out.pos)...)
	e.out.buf = e.appendIFD(e.out.buf, uint32(ifdOff))
	if err := e.out.grew(start); err != nil {
		return err
	}
	return e.out.finish(uint32(ifdOff), e.comp != compNone)
}

// evenUp rounds n up to an even number.
func evenUp(n int64) int64 { return n + n&1 }
