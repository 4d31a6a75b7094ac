package strategy

import (
	"context"
	"io"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/rle"
)

// Serial converts image after image, row after row, on one goroutine: the
// baseline the others are measured against.
type Serial struct{}

func (Serial) Name() string { return "serial" }

func (Serial) Run(ctx context.Context, jobs []Job, opt Options, report func(Result)) {
	runEach(ctx, jobs, opt, encodeSerial, report)
}

// encodeSerial encodes an image row after row. A 1-bit file is read and
// encoded a band at a time, so the image is never held whole; other files
// are decoded first.
func encodeSerial(_ context.Context, src *bitmap.File, w io.Writer) error {
	if !src.Banded() {
		bm, err := decodeAll(src)
		if err != nil {
			return err
		}
		return rle.Encode(w, bm)
	}
	rows := rowsPerBlock(src.Width)
	band, err := bitmap.New(src.Width, min(rows, src.Height))
	if err != nil {
		return inputError{err}
	}
	buf := rle.AppendHeader(make([]byte, 0, flushSize+src.Width*rows), src.Width, src.Height)
	var scratch []byte
	for y0 := 0; y0 < src.Height; y0 += rows {
		b := band.Band(0, min(rows, src.Height-y0))
		if scratch, err = src.LoadRows(b, y0, scratch); err != nil {
			return inputError{err}
		}
		buf = rle.AppendRows(buf, b, 0, b.Height)
		if len(buf) >= flushSize {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	_, err = w.Write(buf)
	return err
}

// flushSize is how much encoded data is gathered before a write.
const flushSize = 256 << 10

// runEach runs jobs one after another in this process.
func runEach(ctx context.Context, jobs []Job, opt Options, enc imageEncoder, report func(Result)) {
	for _, j := range jobs {
		if ctx.Err() != nil {
			return
		}
		report(runJob(ctx, j, opt, enc))
	}
}
