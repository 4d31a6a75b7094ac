package gif

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/convert"
)

// Open reads the headers of the GIF in r, of size bytes (-1 for a stream),
// up to its first frame's data, and checks that the file is long enough
// for the data to hold the frame.
func Open(r io.ReaderAt, size int64) (codec.Image, error) {
	hr := &reader{br: bufio.NewReaderSize(io.NewSectionReader(r, 0, 1<<62), 4096)}
	f, err := readHeader(hr)
	if err != nil {
		return nil, err
	}
	// An LZW code of n bits stands for at most 2^n - 2^(minimum size) bytes,
	// so no code gives more than 4096/12 pixels a bit of data.
	least := (int64(f.w)*int64(f.h)*3 + 8191) / 8192
	if !codec.Available(r, size, f.offset+least) {
		return nil, fmt.Errorf("the file is too short for a %dx%d frame: truncated", f.w, f.h)
	}
	mode := convert.P
	if f.palette == nil {
		mode = convert.L
	}
	conv, err := convert.New(mode, f.width, f.palette)
	if err != nil {
		return nil, err
	}
	img := &image{f: f, r: r, conv: conv, row: make([]byte, f.width)}
	return &codec.RowByRow{Width: f.width, Height: f.height, Next: img.next}, nil
}

// Decode reads the first frame of the GIF of size bytes in r, converted to
// black and white as the reference's convert("1") does.
func Decode(r io.ReaderAt, size int64) (*bitmap.Bitmap, error) {
	img, err := Open(r, size)
	if err != nil {
		return nil, err
	}
	return codec.Decode(img)
}

// image reads the rows of a GIF's first frame, drawn on the screen.
type image struct {
	f    *frame
	r    io.ReaderAt
	conv *convert.Converter
	row  []byte // a row of the image: palette indices or grey levels
	y    int

	// passes[p] decodes the rows of interlacing pass p (only passes[0] when
	// the frame is not interlaced), made at the first row of the frame.
	passes [4]*decoder
}

// next converts the next row of the image into dst.
func (img *image) next(dst []uint64) error {
	f, y := img.f, img.y
	for i := range img.row {
		img.row[i] = f.fill
	}
	if fy := y - f.y; fy >= 0 && fy < f.h {
		if img.passes[0] == nil {
			if err := img.start(); err != nil {
				return err
			}
		}
		if err := img.passes[pass(fy, f.interlaced)].read(img.row[f.x : f.x+f.w]); err != nil {
			return dataError(err, fy)
		}
	}
	img.conv.Row(dst, img.row)
	img.y++
	return nil
}

// pass is the interlacing pass that holds row fy of a frame: rows 0, 8,
// 16 and so on, then 4, 12, 20, then 2, 6, 10, then the odd rows.
func pass(fy int, interlaced bool) int {
	switch {
	case !interlaced || fy%8 == 0:
		return 0
	case fy%8 == 4:
		return 1
	case fy%4 == 2:
		return 2
	}
	return 3
}

// start makes the decoders of the frame's passes. Those of an interlaced
// frame's later passes are snapshots of one decoder that has decoded the
// passes before them, and kept nothing of it.
func (img *image) start() error {
	f := img.f
	d := newDecoder(img.r, f.offset, f.litWidth)
	img.passes[0] = d
	if !f.interlaced {
		return nil
	}
	scan := *d
	starts := [...]int{0, 4, 2, 1}
	steps := [...]int{8, 8, 4, 2}
	for p := range 3 {
		rows := 0
		if f.h > starts[p] {
			rows = (f.h - starts[p] + steps[p] - 1) / steps[p]
		}
		if err := scan.skip(rows * f.w); err != nil {
			// The row where the reference's decoder, which goes pass by
			// pass, fails.
			return dataError(err, starts[p])
		}
		snap := scan
		img.passes[p+1] = &snap
	}
	return nil
}

// dataError says which row of the frame the data fails in.
func dataError(err error, fy int) error {
	switch {
	case errors.Is(err, errEnd):
		return fmt.Errorf("the LZW data ends before row %d of the frame is complete", fy)
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		return fmt.Errorf("the file ends in row %d of the frame: truncated", fy)
	case errors.Is(err, errBroken):
		return fmt.Errorf("row %d of the frame: %w", fy, err)
	}
	return err
}
