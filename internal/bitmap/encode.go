package bitmap

import (
	"encoding/binary"
	"io"
)

// bmpHeaderSize is the file header, BITMAPINFOHEADER and two palette entries.
const bmpHeaderSize = fileHeaderSize + 40 + 2*4

// pixelsPerMetre is 72 dpi, what most tools assume when a file says nothing.
const pixelsPerMetre = 2835

// Encode writes bm as a 1-bit BMP that every reader accepts: a
// BITMAPINFOHEADER, the palette [black, white] (so a pixel is its index) and
// bottom-up rows.
func Encode(w io.Writer, bm *Bitmap) error {
	stride := (bm.Width + 31) / 32 * 4
	imageSize := stride * bm.Height
	hdr := make([]byte, 0, bmpHeaderSize)
	le16 := binary.LittleEndian.AppendUint16
	le32 := binary.LittleEndian.AppendUint32
	hdr = append(hdr, 'B', 'M')
	hdr = le32(hdr, uint32(bmpHeaderSize+imageSize))
	hdr = le32(hdr, 0) // reserved
	hdr = le32(hdr, bmpHeaderSize)
	hdr = le32(hdr, 40)
	hdr = le32(hdr, uint32(bm.Width))
	hdr = le32(hdr, uint32(bm.Height)) // positive: bottom-up
	hdr = le16(hdr, 1)                 // planes
	hdr = le16(hdr, 1)                 // bits per pixel
	hdr = le32(hdr, biRGB)
	hdr = le32(hdr, uint32(imageSize))
	hdr = le32(hdr, pixelsPerMetre)
	hdr = le32(hdr, pixelsPerMetre)
	hdr = le32(hdr, 2) // colours used
	hdr = le32(hdr, 2) // colours important
	hdr = append(hdr, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0)
	if _, err := w.Write(hdr); err != nil {
		return err
	}
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

// appendRowBytes appends one row as stride bytes of BMP pixel data.
func appendRowBytes(dst []byte, row []uint64, stride int) []byte {
	start := len(dst)
	for _, word := range row {
		dst = binary.BigEndian.AppendUint64(dst, word)
	}
	// Words cover a multiple of 8 bytes, BMP rows a multiple of 4.
	return dst[:start+stride]
}
