// Package png reads PNG images as the reference tool (Pillow 9.4) reads
// them, every colour type, bit depth and interlacing, and writes 1-bit
// greyscale PNGs.
//
// It decodes the image data itself, streaming: the IDAT chunks are inflated
// one after the other by compress/flate and un-filtered a row at a time
// with two row buffers, so that a non-interlaced image of any size is read
// with a couple of rows and the inflater's window, and a 1-bit image goes
// straight from its packed rows into the bitset. An interlaced image,
// whose rows are complete only after its last pass, is decoded whole.
//
// Go's image/png will not do: it decodes whole images, a byte or more a
// pixel, and it disagrees with Pillow about which files are images. It
// refuses many that Pillow reads (a bad checksum after the image data, no
// IEND, a zlib stream that ends early or without its checksum, palettes of
// odd lengths, chunks out of order, APNG frames) and reads some that
// Pillow refuses (ancillary chunks too short for their fields).
//
// What this reader accepts and refuses follows Pillow's PNG plugin: chunk
// checksums are checked up to the image data and not after it, IEND is
// optional, the data may stop anywhere once the image's rows are read, a
// zlib stream that ends cleanly on a row boundary leaves the rows after it
// zero, and the ancillary chunks are refused where Pillow's handlers
// refuse them, before the image data and after it. Where a stream is cut
// short or corrupt near the image's end, Pillow's answer hangs on how zlib
// works through the last bytes, which compress/flate cannot tell: there
// the data is decoded again, slowly, as zlib decodes it.
//
// Package zstream, below this one, reads the zlib stream and does that
// decoding again; package scanline un-filters the rows and expands their
// samples.
package png

import (
	"io"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
)

// signature starts every PNG file.
const signature = "\x89PNG\r\n\x1a\n"

func init() {
	codec.Register(&codec.Format{
		Name:       "PNG",
		Exts:       []string{".png"},
		Match:      func(head []byte) bool { return len(head) >= 8 && string(head[:8]) == signature },
		Open:       Open,
		Writes:     "png",
		WriteExts:  []string{".png"},
		NewEncoder: NewEncoder,
	})
}

// Decode reads the whole PNG of size bytes in r (-1 for a stream),
// converted to black and white as the reference converts it.
func Decode(r io.ReaderAt, size int64) (*bitmap.Bitmap, error) {
	img, err := Open(r, size)
	if err != nil {
		return nil, err
	}
	return codec.Decode(img)
}
