package bitmap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"

	xbmp "golang.org/x/image/bmp"
)

// Decode reads a BMP image of size bytes from r (size < 0 when unknown) and
// converts it to black and white exactly as the reference tool's
// convert("1") does (COMPAT.md). 1-bit images that need no dithering are read
// straight into the bitset; other depths are decoded by golang.org/x/image/bmp
// where it accepts the file, and by this package where it refuses a valid one
// (RLE, OS/2 headers, 16 bits, bitfields, palettes it does not expect).
func Decode(r io.Reader, size int64) (*Bitmap, error) {
	h, err := readHeader(r, size)
	if err != nil {
		return nil, err
	}
	if h.bpp == 1 && h.compression == biRGB {
		if rule := classifyPalette(h.palette); rule != ruleDither {
			return decode1Bit(h, h.pixels(r), thresholdTable(h.palette, rule))
		}
	}
	var img image.Image
	if h.xImageReads() {
		img, err = xbmp.Decode(io.MultiReader(h.pixelsFromStart(), r))
		if errors.Is(err, xbmp.ErrUnsupported) {
			return nil, fmt.Errorf("x/image/bmp refused a header rlec judged readable: %w", err)
		}
	} else {
		img, err = decodeOwn(h, h.pixels(r))
	}
	if err != nil {
		return nil, noEOF(err)
	}
	return convert(img)
}

// xImageReads reports whether golang.org/x/image/bmp decodes this file: it
// mirrors that package's own checks, since the stream cannot be rewound for a
// second attempt.
func (h *header) xImageReads() bool {
	if h.infoSize != 40 && h.infoSize != 108 && h.infoSize != 124 {
		return false
	}
	compression := h.compression
	if compression == biBitfields && h.infoSize > 40 && h.masks == [4]uint32{0xff0000, 0xff00, 0xff, 0xff000000} {
		compression = biRGB
	}
	if compression != biRGB {
		return false
	}
	base := int64(fileHeaderSize + h.infoSize)
	switch h.bpp {
	case 1, 2, 4, 8:
		return len(h.palette) <= 1<<h.bpp && h.offset == base+4*int64(len(h.palette))
	case 24, 32:
		return h.offset == base
	}
	return false
}

// pixelsFromStart replays the bytes consumed so far, for a decoder that reads
// the whole file.
func (h *header) pixelsFromStart() io.Reader { return bytes.NewReader(h.consumed) }

// decode1Bit reads 1-bit rows straight into the bitset, 64 pixels per step.
// lut gives the colour of index 0 and index 1.
func decode1Bit(h *header, r io.Reader, lut [256]bool) (*Bitmap, error) {
	bm, err := New(h.width, h.height)
	if err != nil {
		return nil, err
	}
	// A pixel's bit is (raw & ones) | (^raw & zeros): the raw index, its
	// inverse, or a constant, as the palette says.
	var ones, zeros uint64
	if lut[1] {
		ones = ^uint64(0)
	}
	if lut[0] {
		zeros = ^uint64(0)
	}
	stride := int(h.stride())
	tail := TailMask(h.width)
	// Read many rows per call: large reads are what makes this as fast as
	// copying the file.
	rowsPerRead := max(1, (1<<20)/stride)
	buf := make([]byte, min(rowsPerRead, h.height)*stride+8)
	for done := 0; done < h.height; {
		n := min(rowsPerRead, h.height-done)
		chunk := buf[:n*stride]
		if _, err := io.ReadFull(r, chunk); err != nil {
			return nil, fmt.Errorf("truncated in the pixel data at row %d: %w", done, noEOF(err))
		}
		for i := range n {
			y := done + i
			if !h.topDown {
				y = h.height - 1 - y
			}
			loadRow(bm.Row(y), chunk[i*stride:(i+1)*stride], ones, zeros, tail)
		}
		done += n
	}
	return bm, nil
}

// loadRow packs one 1-bit BMP row into words. src holds at least
// 8*(len(dst)-1)+1 bytes; the last word may be short.
func loadRow(dst []uint64, src []byte, ones, zeros, tail uint64) {
	last := len(dst) - 1
	for i := range last {
		raw := binary.BigEndian.Uint64(src[8*i:])
		dst[i] = raw&ones | ^raw&zeros
	}
	var b [8]byte
	copy(b[:], src[8*last:])
	raw := binary.BigEndian.Uint64(b[:])
	dst[last] = (raw&ones | ^raw&zeros) & tail
}
