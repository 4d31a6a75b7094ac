package bitmap

import (
	"encoding/binary"
	"io"
	"slices"
)

// bmpHeaderSize is the file header, BITMAPINFOHEADER and two palette entries.
const bmpHeaderSize = fileHeaderSize + 40 + 2*4

// pixelsPerMetre is 72 dpi, what most tools assume when a file says nothing.
const pixelsPerMetre = 2835

// BMPStride is the size in bytes of one row of a 1-bit BMP: the row's
// pixels, padded to a multiple of 4 bytes.
func BMPStride(width int) int { return (width + 31) / 32 * 4 }

// BMPSize is the size of the 1-bit BMP Encode writes for a width×height image.
func BMPSize(width, height int) int64 {
	return bmpHeaderSize + int64(BMPStride(width))*int64(height)
}

// BMPHeader returns the headers and palette of the 1-bit BMP Encode writes:
// a BITMAPINFOHEADER, the palette [black, white] (so a pixel is its index)
// and bottom-up rows.
func BMPHeader(width, height int) []byte {
	imageSize := BMPStride(width) * height
	hdr := make([]byte, 0, bmpHeaderSize)
	le16 := binary.LittleEndian.AppendUint16
	le32 := binary.LittleEndian.AppendUint32
	hdr = append(hdr, 'B', 'M')
	hdr = le32(hdr, uint32(bmpHeaderSize+imageSize))
	hdr = le32(hdr, 0) // reserved
	hdr = le32(hdr, bmpHeaderSize)
	hdr = le32(hdr, 40)
	hdr = le32(hdr, uint32(width))
	hdr = le32(hdr, uint32(height)) // positive: bottom-up
	hdr = le16(hdr, 1)              // planes
	hdr = le16(hdr, 1)              // bits per pixel
	hdr = le32(hdr, biRGB)
	hdr = le32(hdr, uint32(imageSize))
	hdr = le32(hdr, pixelsPerMetre)
	hdr = le32(hdr, pixelsPerMetre)
	hdr = le32(hdr, 2) // colours used
	hdr = le32(hdr, 2) // colours important
	return append(hdr, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0)
}

// Encode writes bm as a 1-bit BMP (see BMPHeader), in file order.
func Encode(w io.Writer, bm *Bitmap) error {
	if _, err := w.Write(BMPHeader(bm.Width, bm.Height)); err != nil {
		return err
	}
	stride := BMPStride(bm.Width)
	// Rows go out many at a time, so that writing costs what copying does.
	rowsPerWrite := max(1, (1<<20)/max(stride, 1))
	buf := make([]byte, 0, min(rowsPerWrite, bm.Height)*stride+8)
	for y := bm.Height - 1; y >= 0; y-- {
		buf = appendRowBytes(buf, bm.Row(y), stride)
		if len(buf)+stride > cap(buf) || y == 0 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return nil
}

// BMPRowOffset is where image row y (0 is the top row) starts in the BMP
// file Encode writes for a width×height image: rows go bottom-up.
func BMPRowOffset(width, height, y int) int64 {
	return bmpHeaderSize + int64(height-1-y)*int64(BMPStride(width))
}

// appendRowBytes appends one row as stride bytes of BMP pixel data.
func appendRowBytes(dst []byte, row []uint64, stride int) []byte {
	start := len(dst)
	dst = slices.Grow(dst, 8*len(row))[:start+8*len(row)]
	storeWords(dst[start:], row)
	// Words cover a multiple of 8 bytes, BMP rows a multiple of 4.
	return dst[:start+stride]
}

// storeWords writes the words of src to dst, 8 bytes each, big-endian: the
// loop that writes every decompressed image, kept on its own so that all it
// uses stays in registers (loadWords is its mirror).
func storeWords(dst []byte, src []uint64) {
	dst = dst[:8*len(src)]
	for i, w := range src {
		binary.BigEndian.PutUint64(dst[8*i:8*i+8], w)
	}
}
