package bmp

import (
	"bufio"
	"fmt"
	"image/color"
	"io"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/convert"
)

// image is an opened BMP. Its rows are read top row first, converted as
// the reference converts them: a 1-bit image by its palette, straight into
// the bitset; other paletted images by a threshold per palette entry, or
// dithered when the palette is a grey ramp; 16, 24 and 32-bit images
// dithered by their luma.
type image struct {
	h    *header
	r    io.ReaderAt
	conv *convert.Converter // nil for 1-bit images read as bits
	mode convert.Mode       // what a file row becomes before conversion
	wide *widener           // 16, 24 and 32 bits: pixels to grey levels
	rle  []byte             // RLE images: the decoded indices, file row order

	y       int    // the next row ReadRows reads
	err     error  // ReadRows failed
	file    []byte // rows as the file holds them
	indices []byte // a row of indices or grey levels

	// 1-bit images: how a row's bits become pixels.
	invert bool
	fill   int // -1, or the colour (0 or 1) of every pixel, for palettes of one colour
}

// rowsAt is an image whose rows are read straight into the bitset, with no
// state carried from row to row: any rows, by several goroutines at once.
type rowsAt struct{ *image }

// Open reads the headers of the BMP in r, of size bytes (-1 for a stream),
// and checks every size they declare against the file before anything is
// allocated for the pixels.
func Open(r io.ReaderAt, size int64) (codec.Image, error) {
	h, err := readHeader(bufio.NewReaderSize(io.NewSectionReader(r, 0, 1<<62), 4096))
	if err != nil {
		return nil, err
	}
	if err := h.checkSize(r, size); err != nil {
		return nil, err
	}
	img := &image{h: h, r: r, fill: -1}
	if h.bpp > 8 {
		if img.wide, err = newWidener(h); err != nil {
			return nil, err
		}
		img.mode = convert.L
		img.conv, err = convert.New(convert.L, h.width, nil)
		return img, err
	}
	mode, palette := classifyPalette(h.palette)
	if h.bpp == 1 && mode == convert.P && !h.rleCompressed() {
		img.invert, img.fill = convert.OneBit(palette)
		return rowsAt{img}, nil
	}
	img.mode = mode
	if img.conv, err = convert.New(mode, h.width, palette); err != nil {
		return nil, err
	}
	if h.rleCompressed() {
		// Decoded now, before anyone allocates the image: a few bytes of
		// escapes can claim an image of any size.
		if img.rle, err = decodeRLE(h, r); err != nil {
			return nil, err
		}
	}
	return img, nil
}

// classifyPalette gives the mode the reference opens a paletted BMP in, and
// the palette to convert it with (COMPAT rule 2): exactly [black, white]
// reads each pixel as its index; any other palette whose every entry i is
// (i, i, i) makes the index a grey level, dithered; anything else
// thresholds each entry by its luma.
func classifyPalette(p []color.RGBA) (convert.Mode, []color.RGBA) {
	black, white := color.RGBA{A: 0xff}, color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	if len(p) == 2 {
		if p[0] == black && p[1] == white {
			// Index 1 is white and every other index black.
			return convert.P, append([]color.RGBA{black, white}, make([]color.RGBA, 254)...)
		}
		return convert.P, p
	}
	for i, c := range p {
		if c.R != uint8(i) || c.G != uint8(i) || c.B != uint8(i) {
			return convert.P, p
		}
	}
	return convert.L, nil
}

func (h *header) rleCompressed() bool { return h.compression == biRLE4 || h.compression == biRLE8 }

func (img *image) Size() (int, int) { return img.h.width, img.h.height }

// maxReadBytes bounds one read of the file's rows.
const maxReadBytes = 256 << 10

// ReadRowsAt reads rows y0 onwards of a 1-bit image into band: band may be
// the whole image or a small bitmap reused band after band, so that a large
// image is read and encoded without ever being held whole.
func (img rowsAt) ReadRowsAt(band *bitmap.Bitmap, y0 int, buf []byte) ([]byte, error) {
	if err := codec.CheckBand(band, img.h.width, img.h.height, y0); err != nil {
		return buf, err
	}
	for done := 0; done < band.Height; {
		y, n := y0+done, min(max(1, maxReadBytes/int(img.h.stride())), band.Height-done)
		var chunk []byte
		var err error
		if chunk, buf, err = img.readFileRows(y, n, buf); err != nil {
			return buf, err
		}
		stride := int(img.h.stride())
		for i := range n {
			row := band.Row(img.bandRow(done, n, i))
			if img.fill < 0 {
				bitmap.LoadRow(row, chunk[i*stride:(i+1)*stride], img.h.width, img.invert)
			} else {
				bitmap.FillRow(row, img.h.width, img.fill == 1)
			}
		}
		done += n
	}
	return buf, nil
}

// ReadRows reads the next band.Height rows of a 1-bit image.
func (img rowsAt) ReadRows(band *bitmap.Bitmap) error {
	if err := codec.CheckBand(band, img.h.width, img.h.height, img.y); err != nil {
		return err
	}
	var err error
	img.file, err = img.ReadRowsAt(band, img.y, img.file)
	img.y += band.Height
	return err
}

// readFileRows reads the n rows of the uncompressed file that hold image
// rows y .. y+n-1, into buf (returned, grown if need be), in file order.
func (img *image) readFileRows(y, n int, buf []byte) (chunk, grown []byte, err error) {
	h := img.h
	stride := int(h.stride())
	// File rows are bottom-up unless the height was negative; either way
	// the rows are one contiguous stretch of the file.
	first := h.height - y - n
	if h.topDown {
		first = y
	}
	if cap(buf) < n*stride {
		buf = make([]byte, n*stride)
	}
	chunk = buf[:n*stride]
	if _, err := img.r.ReadAt(chunk, h.offset+int64(first)*int64(stride)); err != nil {
		return nil, buf, fmt.Errorf("truncated in the pixel data of rows %d to %d: %w", y, y+n, noEOF(err))
	}
	return chunk, buf, nil
}

// bandRow is where the i-th file row of a chunk of n rows read for band
// rows done.. goes in the band.
func (img *image) bandRow(done, n, i int) int {
	if img.h.topDown {
		return done + i
	}
	return done + n - 1 - i // bottom-up: the chunk's first row is the band's last
}

// ReadRows reads the next band.Height rows of an image that is converted
// row by row: a chunk of file rows at a time, top row first.
func (img *image) ReadRows(band *bitmap.Bitmap) error {
	if img.err != nil {
		return img.err
	}
	if err := codec.CheckBand(band, img.h.width, img.h.height, img.y); err != nil {
		return err
	}
	if err := img.readRows(band); err != nil {
		img.err = err
		return err
	}
	return nil
}

func (img *image) readRows(band *bitmap.Bitmap) error {
	h := img.h
	if img.indices == nil {
		img.indices = make([]byte, h.width)
	}
	if h.rleCompressed() {
		for i := range band.Height {
			y := img.y + i
			if !h.topDown {
				y = h.height - 1 - y
			}
			img.conv.Row(band.Row(i), img.rle[y*h.width:(y+1)*h.width])
		}
		img.y += band.Height
		return nil
	}
	stride := int(h.stride())
	for done := 0; done < band.Height; {
		n := min(max(1, maxReadBytes/stride), band.Height-done)
		chunk, buf, err := img.readFileRows(img.y, n, img.file)
		img.file = buf
		if err != nil {
			return err
		}
		for i := range n {
			// Rows are converted top row first: dithering carries errors down.
			fileRow := n - 1 - i
			if h.topDown {
				fileRow = i
			}
			src := chunk[fileRow*stride : (fileRow+1)*stride]
			if img.wide != nil {
				img.wide.grey(img.indices, src)
			} else {
				unpackIndices(img.indices, src, h.bpp)
			}
			img.conv.Row(band.Row(done+i), img.indices)
		}
		done += n
		img.y += n
	}
	return nil
}

// Decode reads the whole BMP of size bytes in r, converted to black and
// white exactly as the reference tool's convert("1") does.
func Decode(r io.ReaderAt, size int64) (*bitmap.Bitmap, error) {
	img, err := Open(r, size)
	if err != nil {
		return nil, err
	}
	return codec.Decode(img)
}
