package bmp

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
)

// headerSize is the file header, BITMAPINFOHEADER and two palette entries
// of the 1-bit BMP rlec writes.
const headerSize = fileHeaderSize + 40 + 2*4

// defaultDPI is what most tools assume when a file says nothing.
const defaultDPI = 72

// pixelsPerMetre is dpi as a BMP records it, rounded as Pillow rounds it.
func pixelsPerMetre(dpi int) uint32 { return uint32(float64(dpi)/0.0254 + 0.5) }

// Stride is the size in bytes of one row of a 1-bit BMP: the row's pixels,
// padded to a multiple of 4 bytes.
func Stride(width int) int { return (width + 31) / 32 * 4 }

// Size is the size of the 1-bit BMP Encode writes for a width×height image.
func Size(width, height int) int64 {
	return headerSize + int64(Stride(width))*int64(height)
}

// Header returns the headers and palette of the 1-bit BMP Encode writes: a
// BITMAPINFOHEADER, the palette [black, white] (so a pixel is its index)
// and bottom-up rows, at dpi dots per inch (0 for 72).
func Header(width, height, dpi int) []byte {
	if dpi <= 0 {
		dpi = defaultDPI
	}
	imageSize := Stride(width) * height
	hdr := make([]byte, 0, headerSize)
	le16 := binary.LittleEndian.AppendUint16
	le32 := binary.LittleEndian.AppendUint32
	hdr = append(hdr, 'B', 'M')
	hdr = le32(hdr, uint32(headerSize+imageSize))
	hdr = le32(hdr, 0) // reserved
	hdr = le32(hdr, headerSize)
	hdr = le32(hdr, 40)
	hdr = le32(hdr, uint32(width))
	hdr = le32(hdr, uint32(height)) // positive: bottom-up
	hdr = le16(hdr, 1)              // planes
	hdr = le16(hdr, 1)              // bits per pixel
	hdr = le32(hdr, biRGB)
	hdr = le32(hdr, uint32(imageSize))
	hdr = le32(hdr, pixelsPerMetre(dpi))
	hdr = le32(hdr, pixelsPerMetre(dpi))
	hdr = le32(hdr, 2) // colours used
	hdr = le32(hdr, 2) // colours important
	return append(hdr, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0)
}

// RowOffset is where image row y (0 is the top row) starts in the BMP file
// Encode writes for a width×height image: rows go bottom-up.
func RowOffset(width, height, y int) int64 {
	return headerSize + int64(height-1-y)*int64(Stride(width))
}

// Layout is where the rows of the 1-bit BMP of a width×height image sit,
// for writers that place them (codec.Format.Layout).
func Layout(width, height int, opt codec.WriteOptions) (*codec.Layout, error) {
	if width < 1 || height < 1 || width > bitmap.MaxDimension || height > bitmap.MaxDimension || opt.DPI < 0 {
		return nil, fmt.Errorf("cannot write a %dx%d BMP at %d dpi", width, height, opt.DPI)
	}
	return &codec.Layout{Header: Header(width, height, opt.DPI), Stride: Stride(width), Height: height, BottomUp: true}, nil
}

// Encode writes bm as a 1-bit BMP at 72 dpi (see Header), in file order.
func Encode(w io.Writer, bm *bitmap.Bitmap) error {
	if _, err := w.Write(Header(bm.Width, bm.Height, 0)); err != nil {
		return err
	}
	stride := Stride(bm.Width)
	// Rows go out many at a time, so that writing costs what copying does.
	rowsPerWrite := max(1, (1<<20)/max(stride, 1))
	buf := make([]byte, 0, min(rowsPerWrite, bm.Height)*stride+8)
	for y := bm.Height - 1; y >= 0; y-- {
		buf = bitmap.AppendRowBytes(buf, bm.Row(y), stride)
		if len(buf)+stride > cap(buf) || y == 0 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return nil
}
