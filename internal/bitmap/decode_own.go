package bitmap

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math/bits"
)

// decodeOwn decodes the BMP variants golang.org/x/image/bmp refuses. Paletted
// images come back as *image.Paletted, the others as *image.Gray holding the
// reference's integer luma, which is all the conversion needs.
func decodeOwn(h *header, r io.Reader) (image.Image, error) {
	rect := image.Rect(0, 0, h.width, h.height)
	if h.compression == biRLE4 || h.compression == biRLE8 {
		return decodeRLE(h, r)
	}
	stride := int(h.stride())
	row := make([]byte, stride)
	var put func(y int, row []byte)
	var img image.Image
	if h.bpp <= 8 {
		m := image.NewPaletted(rect, rgbaPalette(h.palette))
		img = m
		put = func(y int, row []byte) { unpackIndices(m.Pix[y*m.Stride:y*m.Stride+h.width], row, h.bpp) }
	} else {
		m := image.NewGray(rect)
		img = m
		wide, err := newWidener(h)
		if err != nil {
			return nil, err
		}
		put = func(y int, row []byte) { wide.grey(m.Pix[y*m.Stride:y*m.Stride+h.width], row) }
	}
	for i := range h.height {
		if _, err := io.ReadFull(r, row); err != nil {
			return nil, fmt.Errorf("truncated in the pixel data at row %d: %w", i, noEOF(err))
		}
		y := i
		if !h.topDown {
			y = h.height - 1 - i
		}
		put(y, row)
	}
	return img, nil
}

func rgbaPalette(p []color.RGBA) color.Palette {
	out := make(color.Palette, len(p))
	for i, c := range p {
		out[i] = c
	}
	return out
}

// unpackIndices spreads a row of bpp-bit indices, high bits first, one per byte.
func unpackIndices(dst, src []byte, bpp int) {
	if bpp == 8 {
		copy(dst, src)
		return
	}
	perByte, mask := 8/bpp, byte(1<<bpp-1)
	for x := range dst {
		shift := 8 - bpp*(x%perByte+1)
		dst[x] = src[x/perByte] >> shift & mask
	}
}

// widener turns 16, 24 or 32-bit pixels into grey levels (COMPAT.md rule 3).
type widener struct {
	bytesPerPixel int
	shift, max    [3]uint32 // per channel R, G, B: position and largest value
	mask          [3]uint32
}

func newWidener(h *header) (*widener, error) {
	w := &widener{bytesPerPixel: h.bpp / 8}
	masks := h.masks
	if h.compression == biRGB {
		switch h.bpp {
		case 16:
			masks = [4]uint32{0x7c00, 0x3e0, 0x1f}
		default:
			masks = [4]uint32{0xff0000, 0xff00, 0xff}
		}
	}
	for c := range 3 {
		m := masks[c]
		if m != 0 && bits.OnesCount32(m) != 32-bits.LeadingZeros32(m)-bits.TrailingZeros32(m) {
			return nil, fmt.Errorf("BMP bitfield mask %#x is not contiguous", m)
		}
		w.mask[c] = m
		w.shift[c] = uint32(bits.TrailingZeros32(m))
		if m != 0 {
			w.max[c] = m >> w.shift[c]
		}
	}
	return w, nil
}

func (w *widener) grey(dst, src []byte) {
	for x := range dst {
		p := src[x*w.bytesPerPixel:]
		var v uint32
		switch w.bytesPerPixel {
		case 2:
			v = uint32(binary.LittleEndian.Uint16(p))
		case 3:
			v = uint32(p[0]) | uint32(p[1])<<8 | uint32(p[2])<<16
		default:
			v = binary.LittleEndian.Uint32(p)
		}
		var ch [3]uint8
		for c := range 3 {
			if w.max[c] != 0 {
				ch[c] = uint8(uint64(v&w.mask[c]>>w.shift[c]) * 255 / uint64(w.max[c]))
			}
		}
		dst[x] = uint8(luma1000(ch[0], ch[1], ch[2]) / 1000)
	}
}

var errRLEShort = errors.New("RLE data ends before the image is complete")

// An RLE image may have at most rleFloorPixels pixels, or maxRLEExpansion
// pixels per byte of RLE data, whichever is more, so that a small file cannot
// make the reader allocate gigabytes. Encoded runs give at most 127 pixels per
// byte; only images over 16 Mpixel drawn mostly with end-of-line or delta
// escapes (which leave whole rows blank in two or four bytes) are refused,
// though the reference would read them.
const (
	rleFloorPixels  = 1 << 24
	maxRLEExpansion = 256
)

// decodeRLE decodes RLE4 and RLE8 exactly as the reference (Pillow 9.4) does,
// quirks included: a delta escape reads two bytes and then takes its offsets
// from the next two; an RLE4 absolute run of n pixels reads n/2 bytes;
// absolute runs realign to an even position in the file. Data that leaves
// the image incomplete is an error, as it is for the reference.
//
// The compressed data is read whole (it is bounded by the file) and replayed
// once to measure it; only then is the w×h index buffer allocated.
func decodeRLE(h *header, r io.Reader) (image.Image, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	total := h.width * h.height
	if int64(total) > max(rleFloorPixels, maxRLEExpansion*int64(len(data))) {
		return nil, fmt.Errorf("%d bytes of RLE data cannot describe a %dx%d image", len(data), h.width, h.height)
	}
	if n := runRLE(h, data, nil); n < total {
		return nil, fmt.Errorf("%w (%d of %d pixels)", errRLEShort, n, total)
	}
	pix := make([]byte, total)
	runRLE(h, data, pix)
	if !h.topDown { // file order is bottom-up: swap rows into place
		tmp := make([]byte, h.width)
		for top, bottom := 0, h.height-1; top < bottom; top, bottom = top+1, bottom-1 {
			a, b := pix[top*h.width:(top+1)*h.width], pix[bottom*h.width:(bottom+1)*h.width]
			copy(tmp, a)
			copy(a, b)
			copy(b, tmp)
		}
	}
	return &image.Paletted{Pix: pix, Stride: h.width, Rect: image.Rect(0, 0, h.width, h.height), Palette: rgbaPalette(h.palette)}, nil
}

// runRLE plays the RLE stream into out (file row order) and returns how many
// pixels it produced, at most len(out); with out nil it only counts, up to the
// image's size.
func runRLE(h *header, data []byte, out []byte) int {
	w, total := h.width, h.width*h.height
	rle4 := h.compression == biRLE4
	n, x, i := 0, 0, 0 // pixels produced, column, position in data
	emit := func(v byte) {
		if out != nil && n < total {
			out[n] = v
		}
		n++
	}
	// skip leaves k pixels at index 0, which out already holds.
	skip := func(k int) { n += k }
	for n < total && i+2 <= len(data) {
		count, b := int(data[i]), data[i+1]
		i += 2
		switch {
		case count > 0: // encoded run, clipped to the row
			count = max(0, min(count, w-x))
			for k := range count {
				v := b
				if rle4 {
					v = b >> 4
					if k%2 == 1 {
						v = b & 0x0f
					}
				}
				emit(v)
			}
			x += count
		case b == 0: // end of line
			skip((w - n%w) % w)
			x = 0
		case b == 1: // end of bitmap
			return min(n, total)
		case b == 2: // delta, with the reference's extra read
			if i+4 > len(data) {
				return min(n, total)
			}
			right, up := int(data[i+2]), int(data[i+3])
			i += 4
			skip(right + up*w)
			x = n % w
		default: // absolute run of b pixels
			byteCount := int(b)
			if rle4 {
				byteCount /= 2
			}
			got := min(byteCount, len(data)-i)
			for _, v := range data[i : i+got] {
				if rle4 {
					emit(v >> 4)
					emit(v & 0x0f)
				} else {
					emit(v)
				}
			}
			i += got
			if got < byteCount {
				return min(n, total)
			}
			x += int(b)
			if (h.offset+int64(i))%2 != 0 {
				i++
			}
		}
	}
	return min(n, total)
}
