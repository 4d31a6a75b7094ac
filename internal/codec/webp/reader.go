package webp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"

	xwebp "golang.org/x/image/webp"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/convert"
)

// A lossless image may have at most floorPixels pixels, or maxExpansion
// pixels per byte of VP8L data, whichever is more: the decoder holds four
// bytes a pixel, and VP8L has no bound of its own (a prefix code with one
// symbol costs no bits), so without this a file of a few bytes could make
// it allocate a gigabyte. Only images over 16 Mpixel that are nearly blank
// are refused, though the reference would read them.
const (
	floorPixels  = 1 << 24
	maxExpansion = 1024
)

// Errors for the WebP images rlec does not read yet.
var (
	ErrLossy    = errors.New("lossy images are not read yet")
	ErrAnimated = errors.New("animated images are not read yet")
)

// Open reads the RIFF chunks of the WebP in r, of size bytes (-1 for a
// stream), up to the VP8L header of a lossless image, and checks its size
// against the data before anything is decoded.
func Open(r io.ReaderAt, size int64) (codec.Image, error) {
	end, err := riffEnd(r, size)
	if err != nil {
		return nil, err
	}
	off := int64(12)
	canvasW, canvasH := -1, -1
	for first := true; ; first = false {
		id, n, err := chunk(r, off, end)
		if err != nil {
			return nil, err
		}
		data := off + 8
		switch id {
		case "VP8 ", "ALPH":
			return nil, ErrLossy
		case "ANIM", "ANMF":
			return nil, ErrAnimated
		case "VP8X":
			if !first || n < 10 {
				return nil, fmt.Errorf("VP8X chunk of %d bytes, or not first", n)
			}
			var b [10]byte
			if _, err := r.ReadAt(b[:], data); err != nil {
				return nil, truncated(err)
			}
			if b[0]&0x02 != 0 {
				return nil, ErrAnimated
			}
			canvasW = 1 + (int(b[4]) | int(b[5])<<8 | int(b[6])<<16)
			canvasH = 1 + (int(b[7]) | int(b[8])<<8 | int(b[9])<<16)
		case "VP8L":
			return openLossless(r, data, n, end, canvasW, canvasH)
		default:
			if first {
				return nil, fmt.Errorf("the first chunk is %q, not VP8, VP8L or VP8X", id)
			}
		}
		off = data + n + n&1 // chunks are padded to an even size
	}
}

// riffEnd checks the RIFF header and returns where its data ends.
func riffEnd(r io.ReaderAt, size int64) (int64, error) {
	var h [12]byte
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return 0, truncated(err)
	}
	if string(h[:4]) != "RIFF" || string(h[8:]) != "WEBP" {
		return 0, errors.New("not a WebP file (no RIFF WEBP header)")
	}
	end := 8 + int64(binary.LittleEndian.Uint32(h[4:]))
	if size >= 0 && end > size {
		return 0, fmt.Errorf("the RIFF header says %d bytes, the file has %d: truncated", end, size)
	}
	return end, nil
}

// chunk reads the header of the chunk at off: its FourCC and its size,
// which must end by end.
func chunk(r io.ReaderAt, off, end int64) (string, int64, error) {
	if off+8 > end {
		return "", 0, errors.New("no image chunk in the file")
	}
	var h [8]byte
	if _, err := r.ReadAt(h[:], off); err != nil {
		return "", 0, truncated(err)
	}
	n := int64(binary.LittleEndian.Uint32(h[4:]))
	if off+8+n > end {
		return "", 0, fmt.Errorf("chunk %q of %d bytes passes the end of the file: truncated", h[:4], n)
	}
	return string(h[:4]), n, nil
}

// openLossless checks the VP8L header of the n-byte chunk data at off.
func openLossless(r io.ReaderAt, off, n, end int64, canvasW, canvasH int) (codec.Image, error) {
	var h [5]byte
	if n < int64(len(h)) {
		return nil, fmt.Errorf("VP8L chunk of %d bytes", n)
	}
	if _, err := r.ReadAt(h[:], off); err != nil {
		return nil, truncated(err)
	}
	bits := binary.LittleEndian.Uint32(h[1:])
	w, ht := 1+int(bits&0x3fff), 1+int(bits>>14&0x3fff)
	switch {
	case h[0] != 0x2f:
		return nil, fmt.Errorf("VP8L signature %#x, want 0x2f", h[0])
	case bits>>29 != 0:
		return nil, fmt.Errorf("VP8L version %d", bits>>29)
	case canvasW >= 0 && (canvasW != w || canvasH != ht):
		return nil, fmt.Errorf("the VP8L image is %dx%d, the canvas %dx%d", w, ht, canvasW, canvasH)
	case int64(w)*int64(ht) > max(floorPixels, maxExpansion*n):
		return nil, fmt.Errorf("a %dx%d image in %d bytes of VP8L data is refused: over %d Mpixel, rlec wants a byte for every %d pixels before it decodes the whole image",
			w, ht, n, floorPixels>>20, maxExpansion)
	}
	return &codec.Whole{Width: w, Height: ht, Decode: func() (*bitmap.Bitmap, error) {
		m, err := xwebp.Decode(io.NewSectionReader(r, 0, end))
		if err != nil {
			return nil, err
		}
		if _, ok := m.(*image.NRGBA); !ok {
			return nil, fmt.Errorf("decoded a %T, want *image.NRGBA", m)
		}
		// RGB or RGBA, alpha ignored: the stored colour is what counts.
		return convert.Image(m)
	}}, nil
}

// Decode reads the lossless WebP of size bytes in r, converted to black and
// white as the reference's convert("1") does.
func Decode(r io.ReaderAt, size int64) (*bitmap.Bitmap, error) {
	img, err := Open(r, size)
	if err != nil {
		return nil, err
	}
	return codec.Decode(img)
}

func truncated(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errors.New("the file ends early: truncated")
	}
	return err
}
