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

// encodeSerial encodes an image block after block on this goroutine. A
// 1-bit file is read a band at a time, so the image is never held whole;
// other files are decoded first.
func encodeSerial(_ context.Context, src *bitmap.File, w io.Writer) error {
	full, err := decodeUnlessBanded(src)
	if err != nil {
		return err
	}
	r := &rowReader{src: src, full: full}
	rows := rowsPerBlock(src.Width)
	buf := rle.AppendHeader(make([]byte, 0, flushSize+src.Width*rows), src.Width, src.Height)
	for y0 := 0; y0 < src.Height; y0 += rows {
		block, err := r.rows(y0, min(y0+rows, src.Height))
		if err != nil {
			return err
		}
		buf = rle.AppendRows(buf, block)
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
