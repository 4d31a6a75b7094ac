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

func encodeSerial(_ context.Context, src *bitmap.File, w io.Writer) error {
	bm, err := decodeAll(src)
	if err != nil {
		return err
	}
	return rle.Encode(w, bm)
}

// runEach runs jobs one after another in this process.
func runEach(ctx context.Context, jobs []Job, opt Options, enc imageEncoder, report func(Result)) {
	for _, j := range jobs {
		if ctx.Err() != nil {
			return
		}
		report(runJob(ctx, j, opt, enc))
	}
}
