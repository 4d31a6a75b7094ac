package bmp

import (
	"errors"
	"fmt"
	"io"
)

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
// The compressed data is read whole and replayed once to measure it; only
// then is the w×h index buffer allocated. What is read is bounded by the
// image: maxRLEBytes.
func decodeRLE(h *header, r io.ReaderAt) ([]byte, error) {
	total := h.width * h.height
	data, err := io.ReadAll(io.NewSectionReader(r, h.offset, maxRLEBytes(total)))
	if err != nil {
		return nil, err
	}
	if int64(total) > max(rleFloorPixels, maxRLEExpansion*int64(len(data))) {
		return nil, fmt.Errorf("%d bytes of RLE data cannot describe a %dx%d image", len(data), h.width, h.height)
	}
	if n := runRLE(h, data, nil); n < total {
		return nil, fmt.Errorf("%w (%d of %d pixels)", errRLEShort, n, total)
	}
	pix := make([]byte, total)
	runRLE(h, data, pix)
	return pix, nil
}

// maxRLEBytes is how much RLE data an image of total pixels is read from:
// four bytes a pixel, more than any encoder writes (an encoded run of one
// pixel takes two), and a megabyte for escapes. Pixels left undrawn by
// then make the image incomplete, an error, as a stream that ended there
// would.
func maxRLEBytes(total int) int64 { return 4*int64(total) + 1<<20 }

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
