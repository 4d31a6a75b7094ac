package png

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image/color"
	"io"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec/png/scanline"
)

// validMode reports whether Pillow has a mode for a bit depth and colour
// type: the pairs the PNG specification allows.
func validMode(depth, ctype int) bool {
	switch ctype {
	case scanline.Grey:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16
	case scanline.Palette:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8
	case scanline.RGB, scanline.GreyAlpha, scanline.RGBA:
		return depth == 8 || depth == 16
	}
	return false
}

// header is what the chunks before the image data say about it.
type header struct {
	width, height int
	depth, ctype  int
	interlaced    bool
	palette       []color.RGBA // colour type 3: PLTE's entries, perhaps none
	// frame is the rectangle the image data fills: the whole image, but
	// for an APNG whose first frame is smaller (placed at its corner when
	// interlaced, as Pillow places it).
	frame rect
	// data is the first chunk of image data, which starts at dataOff
	// (past an fdAT's sequence number).
	data     chunk
	dataOff  int64
	animated bool // Pillow stops at the next frame control
}

// bitsPerPixel is the size of a pixel in the image data.
func (h *header) bitsPerPixel() int { return h.depth * scanline.Channels(h.ctype) }

// rowBytes is the size of a row of n pixels, without its filter byte.
func (h *header) rowBytes(n int) int { return (n*h.bitsPerPixel() + 7) / 8 }

// filterUnit is the distance, in bytes, between the bytes a filter
// relates: a whole pixel, at least a byte.
func (h *header) filterUnit() int { return (h.bitsPerPixel() + 7) / 8 }

// readHeader reads the chunks up to the first chunk of image data, as
// Pillow's PNG plugin does when it opens a file: each chunk's checksum is
// checked, and its handler may refuse it.
func readHeader(r io.ReaderAt, size int64) (*stream, *header, error) {
	var sig [8]byte
	if n, _ := r.ReadAt(sig[:], 0); n < len(sig) || string(sig[:]) != signature {
		return nil, nil, errors.New("not a PNG file (no PNG signature)")
	}
	s := &stream{r: r, size: size, seq: -1}
	for off := int64(len(signature)); ; {
		c, ok, err := s.header(off)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			if !s.hasMode {
				return nil, nil, s.noMode()
			}
			return nil, nil, errors.New("the file ends before the image data")
		}
		if !c.typ.valid() {
			return nil, nil, fmt.Errorf("bad chunk type %q at offset %d", c.typ[:], c.off)
		}
		switch c.typ.String() {
		case "IDAT":
			if !s.hasBBox && s.frames != 0 {
				s.defaultImage = true
			}
			if s.hasMode {
				h, err := s.image(c, c.data())
				return s, h, err
			}
			// With no usable IHDR yet, Pillow skips the chunk as unknown.
		case "fdAT":
			seq, err := s.fdATSeq(c)
			if err != nil {
				return nil, nil, err
			}
			if err := s.nextSeq(seq, true); err != nil {
				return nil, nil, err
			}
			if !s.hasMode {
				return nil, nil, s.noMode()
			}
			h, err := s.image(c, c.data()+4)
			return s, h, err
		case "IEND":
			if !s.hasMode {
				return nil, nil, s.noMode()
			}
			return nil, nil, errors.New("no image data before IEND")
		}
		data, err := s.read(c, keep(c.typ, c.length), true)
		if err != nil {
			return nil, nil, err
		}
		if err := s.handle(c, data); err != nil {
			return nil, nil, err
		}
		off = c.next()
	}
}

// fdATSeq reads the sequence number of an fdAT chunk.
func (s *stream) fdATSeq(c chunk) (int64, error) {
	if c.length < 4 {
		return 0, fmt.Errorf("the fdAT chunk at offset %d is too short (%d bytes)", c.off, c.length)
	}
	var b [4]byte
	if err := s.readAt(b[:], c.data()); err != nil {
		return 0, fmt.Errorf("reading the fdAT chunk at offset %d: %w", c.off, err)
	}
	return int64(binary.BigEndian.Uint32(b[:])), nil
}

// noMode is the error for image data with no usable IHDR before it.
func (s *stream) noMode() error {
	if !s.sawIHDR {
		return errors.New("no IHDR chunk")
	}
	return fmt.Errorf("unsupported bit depth %d for colour type %d", s.depth, s.ctype)
}

// image checks what the chunks so far say about the image whose data
// starts at off, in chunk c.
func (s *stream) image(c chunk, off int64) (*header, error) {
	if s.width == 0 || s.height == 0 {
		return nil, fmt.Errorf("empty image (%dx%d)", s.width, s.height)
	}
	if s.width > bitmap.MaxDimension || s.height > bitmap.MaxDimension {
		return nil, fmt.Errorf("image size %dx%d is over rlec's limit of %d", s.width, s.height, bitmap.MaxDimension)
	}
	h := &header{
		width: int(s.width), height: int(s.height),
		depth: s.depth, ctype: s.ctype,
		interlaced: s.interlaced,
		frame:      rect{0, 0, int(s.width), int(s.height)},
		data:       c, dataOff: off,
		animated: s.frames != 0 && (s.frames > 1 || s.defaultImage),
	}
	if s.hasBBox {
		h.frame = s.bbox
		if h.frame.w == 0 || h.frame.h == 0 {
			return nil, fmt.Errorf("empty APNG frame (%dx%d)", h.frame.w, h.frame.h)
		}
		if h.interlaced {
			h.frame.x, h.frame.y = 0, 0
		}
	}
	if h.ctype == scanline.Palette {
		if n := s.paletteLen / 3; n > 256 {
			return nil, fmt.Errorf("the palette has %d entries, more than 256", n)
		}
		p := s.palette[:s.paletteLen/3*3]
		for i := 0; i < len(p); i += 3 {
			h.palette = append(h.palette, color.RGBA{R: p[i], G: p[i+1], B: p[i+2], A: 0xff})
		}
	}
	return h, nil
}
