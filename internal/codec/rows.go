package codec

import (
	"fmt"

	"github.com/rlec/rlec/internal/bitmap"
)

// RowByRow is an Image whose rows come one at a time from Next, in order:
// the shape of most decoders, which read a row of the file, convert it
// (package convert) and go on to the next.
type RowByRow struct {
	Width, Height int
	// Next reads the next row into dst, a bitmap row, overwriting it. It
	// is called once for each row of the image, top row first, and not
	// again after it fails.
	Next func(dst []uint64) error

	y   int
	err error
}

func (r *RowByRow) Size() (int, int) { return r.Width, r.Height }

func (r *RowByRow) ReadRows(band *bitmap.Bitmap) error {
	if err := r.check(band); err != nil {
		return err
	}
	for i := range band.Height {
		if err := r.Next(band.Row(i)); err != nil {
			r.err = err
			return err
		}
		r.y++
	}
	return nil
}

func (r *RowByRow) check(band *bitmap.Bitmap) error {
	if r.err != nil {
		return r.err
	}
	return CheckBand(band, r.Width, r.Height, r.y)
}

// CheckBand checks that band fits the rows from y onwards of an image of
// the given size.
func CheckBand(band *bitmap.Bitmap, width, height, y int) error {
	if band.Width != width || band.Height < 0 || y+band.Height > height {
		return fmt.Errorf("codec: a %dx%d band does not fit rows %d.. of a %dx%d image", band.Width, band.Height, y, width, height)
	}
	return nil
}

// Whole is an Image decoded all at once, by Decode, the first time its rows
// are asked for: for formats read by a library that gives the whole image.
// The decoder must check, before it allocates the image, that the file can
// hold it (see Available).
type Whole struct {
	Width, Height int
	Decode        func() (*bitmap.Bitmap, error)

	bm  *bitmap.Bitmap
	y   int
	err error
}

func (w *Whole) Size() (int, int) { return w.Width, w.Height }

func (w *Whole) ReadRows(band *bitmap.Bitmap) error {
	if w.err != nil {
		return w.err
	}
	if err := CheckBand(band, w.Width, w.Height, w.y); err != nil {
		return err
	}
	if w.bm == nil {
		bm, err := w.Decode()
		if err == nil && (bm.Width != w.Width || bm.Height != w.Height) {
			err = fmt.Errorf("decoded a %dx%d image, the header says %dx%d", bm.Width, bm.Height, w.Width, w.Height)
		}
		if err != nil {
			w.err = err
			return err
		}
		w.bm = bm
	}
	copy(band.Words, w.bm.Band(w.y, w.y+band.Height).Words)
	w.y += band.Height
	if w.y == w.Height {
		w.bm = nil // the memory can go
	}
	return nil
}
