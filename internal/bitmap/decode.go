package bitmap

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"

	xbmp "golang.org/x/image/bmp"
)

// File is a BMP whose headers have been read. Its pixels are read by
// Decode, or, when it is a 1-bit image that needs no dithering, band by band
// by LoadRows, which may run concurrently on disjoint bands so that several
// cores read one large image.
type File struct {
	Width, Height int
	h             *header
	r             io.ReaderAt
	size          int64
	banded        bool   // rows can be read straight into the bitset
	keep, flip    uint64 // how raw 1-bit words become pixels; see loadRow
}

// Open reads the headers of the BMP of size bytes in r and checks every size
// they declare against size, before anything is allocated for the pixels.
func Open(r io.ReaderAt, size int64) (*File, error) {
	h, err := readHeader(bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 4096), size)
	if err != nil {
		return nil, err
	}
	f := &File{Width: h.width, Height: h.height, h: h, r: r, size: size}
	if h.bpp == 1 && h.compression == biRGB {
		if rule := classifyPalette(h.palette); rule != ruleDither {
			lut := thresholdTable(h.palette, rule)
			// A pixel's bit is raw&keep ^ flip: the raw index (keep all
			// ones, flip zero), its inverse (both all ones), or a constant
			// (keep zero), as the palette says.
			if lut[0] != lut[1] {
				f.keep = ^uint64(0)
			}
			if lut[0] {
				f.flip = ^uint64(0)
			}
			f.banded = true
		}
	}
	return f, nil
}

// Decode reads the BMP of size bytes in r and converts it to black and white
// exactly as the reference tool's convert("1") does (COMPAT.md).
func Decode(r io.ReaderAt, size int64) (*Bitmap, error) {
	f, err := Open(r, size)
	if err != nil {
		return nil, err
	}
	return f.Decode()
}

// Banded reports whether LoadRows can read this file's rows.
func (f *File) Banded() bool { return f.banded }

// Decode reads the whole image. 1-bit images that need no dithering are read
// straight into the bitset; other depths are decoded by golang.org/x/image/bmp
// where it accepts the file, and by this package where it refuses a valid one
// (RLE, OS/2 headers, 16 bits, bitfields, offsets it does not expect).
func (f *File) Decode() (*Bitmap, error) {
	if f.Banded() {
		bm, err := New(f.Width, f.Height)
		if err != nil {
			return nil, err
		}
		_, err = f.LoadRows(bm, 0, nil)
		return bm, err
	}
	h := f.h
	var img image.Image
	var err error
	if h.xImageReads() {
		img, err = xbmp.Decode(bufio.NewReaderSize(io.NewSectionReader(f.r, 0, f.size), 64<<10))
		if errors.Is(err, xbmp.ErrUnsupported) {
			return nil, fmt.Errorf("x/image/bmp refused a header rlec judged readable: %w", err)
		}
	} else {
		img, err = decodeOwn(h, bufio.NewReaderSize(io.NewSectionReader(f.r, h.offset, f.size-h.offset), 64<<10))
	}
	if err != nil {
		return nil, noEOF(err)
	}
	return convert(img)
}

// maxBandBytes bounds one read of LoadRows.
const maxBandBytes = 256 << 10

// LoadRows reads rows y0 onwards of a banded file into band, as many as it
// has: band may be the whole image or a small bitmap reused band after band,
// so that a large image is read and encoded without ever being held whole.
// buf is scratch space, returned, grown if need be, for the next call. Calls
// for disjoint rows may run concurrently.
func (f *File) LoadRows(band *Bitmap, y0 int, buf []byte) ([]byte, error) {
	stride := int(f.h.stride())
	tail := TailMask(f.Width)
	rowsPerRead := max(1, maxBandBytes/stride)
	for done := 0; done < band.Height; {
		y, n := y0+done, min(rowsPerRead, band.Height-done)
		// File rows are bottom-up unless the height was negative; either way
		// the rows are one contiguous stretch of the file.
		first := f.Height - y - n
		if f.h.topDown {
			first = y
		}
		if cap(buf) < n*stride {
			buf = make([]byte, n*stride)
		}
		chunk := buf[:n*stride]
		if _, err := f.r.ReadAt(chunk, f.h.offset+int64(first)*int64(stride)); err != nil {
			return buf, fmt.Errorf("truncated in the pixel data of rows %d to %d: %w", y, y+n, noEOF(err))
		}
		for i := range n {
			row := done + n - 1 - i // bottom-up: the chunk's first row is the band's last
			if f.h.topDown {
				row = done + i
			}
			loadRow(band.Row(row), chunk[i*stride:(i+1)*stride], f.keep, f.flip, tail)
		}
		done += n
	}
	return buf, nil
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

// loadRow packs one 1-bit BMP row into words. src holds the row's bytes:
// at least 8*(len(dst)-1)+1 of them, since the last word may be short. The
// bits past the last pixel are padding, which writers need not zero; tail
// clears them, as a Bitmap's must be.
func loadRow(dst []uint64, src []byte, keep, flip, tail uint64) {
	last := len(dst) - 1
	loadWords(dst[:last], src, keep, flip)
	dst[last] = (lastWord(src[8*last:])&keep ^ flip) & tail
}

// loadWords fills dst with the words of src, 8 bytes each. It is the loop
// that reads every 1-bit image, kept on its own so that all it uses stays in
// registers: with the row's tail in the same function it ran at half speed.
// It takes four words a turn through array pointers, which the compiler
// indexes without a bounds check. A word at a time, with a check for each,
// BenchmarkLoadRows took 0.66 ms more on the 1200-dpi page (median 5.49 ms
// against 4.96, slower in 27 of 30 alternating runs), and compressing that
// page 0.72 ms more under serial and 0.56 ms more under pool.
func loadWords(dst []uint64, src []byte, keep, flip uint64) {
	src = src[:8*len(dst)]
	for len(dst) >= 4 && len(src) >= 32 {
		s, d := (*[32]byte)(src), (*[4]uint64)(dst)
		d[0] = binary.BigEndian.Uint64(s[0:8])&keep ^ flip
		d[1] = binary.BigEndian.Uint64(s[8:16])&keep ^ flip
		d[2] = binary.BigEndian.Uint64(s[16:24])&keep ^ flip
		d[3] = binary.BigEndian.Uint64(s[24:32])&keep ^ flip
		src, dst = src[32:], dst[4:]
	}
	for i := range dst {
		dst[i] = binary.BigEndian.Uint64(src[8*i:8*i+8])&keep ^ flip
	}
}

// lastWord reads the last, perhaps short, word of a row.
func lastWord(src []byte) uint64 {
	var b [8]byte
	copy(b[:], src)
	return binary.BigEndian.Uint64(b[:])
}
