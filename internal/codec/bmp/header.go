package bmp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image/color"
	"io"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
)

// BMP compression methods.
const (
	biRGB       = 0
	biRLE8      = 1
	biRLE4      = 2
	biBitfields = 3
)

const fileHeaderSize = 14

// header is what a BMP's file header, info header and palette say about the
// pixels that follow. It mirrors how the reference (Pillow 9.4) reads them.
type header struct {
	offset        int64 // file offset of the pixel data
	infoSize      int
	width, height int
	topDown       bool
	bpp           int
	compression   uint32
	masks         [4]uint32    // red, green, blue, alpha for BI_BITFIELDS
	palette       []color.RGBA // for bpp <= 8
}

// stride is the size of one uncompressed row in the file.
func (h *header) stride() int64 { return (int64(h.width)*int64(h.bpp) + 31) / 32 * 4 }

// readHeader reads the headers and palette of a BMP. Its sizes are checked
// against the file's by Open.
func readHeader(r io.Reader) (*header, error) {
	h := &header{}
	buf, err := readN(r, nil, fileHeaderSize+4, "file header")
	if err != nil {
		return nil, err
	}
	if string(buf[:2]) != "BM" {
		return nil, errors.New("not a BMP file (no BM signature)")
	}
	h.offset = int64(binary.LittleEndian.Uint32(buf[10:]))
	h.infoSize = int(binary.LittleEndian.Uint32(buf[14:]))
	switch h.infoSize {
	case 12, 40, 52, 56, 64, 108, 124:
	default:
		return nil, fmt.Errorf("unsupported BMP info header size %d", h.infoSize)
	}
	if buf, err = readN(r, buf, h.infoSize-4, "info header"); err != nil {
		return nil, err
	}
	info := buf[fileHeaderSize:]
	le16 := func(i int) int { return int(binary.LittleEndian.Uint16(info[i:])) }
	le32 := func(i int) uint32 { return binary.LittleEndian.Uint32(info[i:]) }
	colors := 0
	entrySize := 4
	if h.infoSize == 12 { // OS/2 1.x: 16-bit sizes, 3-byte palette entries
		h.width, h.height = le16(4), le16(6)
		if le16(8) != 1 {
			return nil, fmt.Errorf("BMP has %d colour planes, want 1", le16(8))
		}
		h.bpp = le16(10)
		entrySize = 3
	} else {
		w, ht := int32(le32(4)), int32(le32(8))
		if ht < 0 {
			h.topDown, ht = true, -ht
		}
		h.width, h.height = int(w), int(ht)
		if le16(12) != 1 {
			return nil, fmt.Errorf("BMP has %d colour planes, want 1", le16(12))
		}
		h.bpp = le16(14)
		h.compression = le32(16)
		colors = int(le32(32))
		if h.compression == biBitfields {
			if h.infoSize >= 56 {
				h.masks = [4]uint32{le32(40), le32(44), le32(48), le32(52)}
			} else { // the masks follow a short header
				if buf, err = readN(r, buf, 12, "bitfield masks"); err != nil {
					return nil, err
				}
				m := buf[len(buf)-12:]
				for i := range 3 {
					h.masks[i] = binary.LittleEndian.Uint32(m[4*i:])
				}
			}
		}
	}
	if h.width <= 0 || h.height <= 0 {
		return nil, fmt.Errorf("BMP size %dx%d is not a positive width and height", h.width, h.height)
	}
	if h.width > bitmap.MaxDimension || h.height > bitmap.MaxDimension {
		return nil, fmt.Errorf("image is %dx%d; the .rle format holds at most %dx%d", h.width, h.height, bitmap.MaxDimension, bitmap.MaxDimension)
	}
	if err := h.checkDepth(); err != nil {
		return nil, err
	}
	if h.bpp <= 8 {
		if colors == 0 {
			colors = 1 << h.bpp
		}
		if colors > 256 {
			return nil, fmt.Errorf("BMP palette has %d colours, at most 256 are allowed", colors)
		}
		// Pillow's rule: a pixel offset that leaves no room for the palette
		// means the palette was left out of the offset.
		if h.offset == int64(fileHeaderSize+h.infoSize) {
			h.offset += 4 * int64(colors)
		}
		if buf, err = readN(r, buf, colors*entrySize, "palette"); err != nil {
			return nil, err
		}
		p := buf[len(buf)-colors*entrySize:]
		h.palette = make([]color.RGBA, colors)
		for i := range h.palette {
			e := p[i*entrySize:]
			h.palette[i] = color.RGBA{R: e[2], G: e[1], B: e[0], A: 0xff}
		}
	}
	return h, nil
}

// checkDepth accepts the depth and compression pairs the reference reads.
func (h *header) checkDepth() error {
	switch h.bpp {
	case 1, 2, 4, 8, 16, 24, 32:
	default:
		return fmt.Errorf("unsupported BMP depth of %d bits per pixel", h.bpp)
	}
	switch {
	case h.compression == biRGB:
	case h.compression == biRLE8 && h.bpp == 8, h.compression == biRLE4 && h.bpp == 4:
	case h.compression == biBitfields && h.bpp >= 16:
	default:
		return fmt.Errorf("unsupported BMP compression %d at %d bits per pixel", h.compression, h.bpp)
	}
	return nil
}

// checkSize compares the pixel data the header implies with the file, so
// that a header cannot make the reader allocate what the file cannot fill.
// RLE data's size does not bound the image: decodeRLE measures the stream
// before allocating.
func (h *header) checkSize(r io.ReaderAt, size int64) error {
	if size >= 0 && h.offset > size {
		return fmt.Errorf("pixel data offset %d is past the end of the %d-byte file", h.offset, size)
	}
	if h.compression == biRLE4 || h.compression == biRLE8 {
		return nil
	}
	need := h.stride() * int64(h.height)
	if !codec.Available(r, size, h.offset+need) {
		if size < 0 {
			return fmt.Errorf("truncated: %dx%d at %d bits needs %d bytes of pixel data after offset %d", h.width, h.height, h.bpp, need, h.offset)
		}
		return fmt.Errorf("truncated: %dx%d at %d bits needs %d bytes of pixel data, the file has %d", h.width, h.height, h.bpp, need, max(size-h.offset, 0))
	}
	return nil
}

// readN appends n bytes from r to buf.
func readN(r io.Reader, buf []byte, n int, what string) ([]byte, error) {
	start := len(buf)
	buf = append(buf, make([]byte, n)...)
	if _, err := io.ReadFull(r, buf[start:]); err != nil {
		return nil, fmt.Errorf("truncated in the %s: %w", what, noEOF(err))
	}
	return buf, nil
}

// noEOF turns a bare EOF in the middle of a structure into ErrUnexpectedEOF.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
