package strategy

import (
	"context"
	"io"

	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/rle"
)

// Serial converts image after image, row after row, on one goroutine: the
// baseline the others are measured against.
type Serial struct{}

func (Serial) Name() string { return "serial" }

func (Serial) Bounded() bool { return false }

func (Serial) Run(ctx context.Context, jobs []job.Job, opt Options, report func(job.Result)) {
	runEach(ctx, jobs, opt, serialConverter, report)
}

// serialConverter does all the work of an image on the calling goroutine.
var serialConverter = converter{encode: encodeSerial, decode: decodeSerial}

// encodeSerial encodes an image block after block on this goroutine, each
// block read into one band, reused, so the image is never held whole.
func encodeSerial(_ context.Context, img codec.Image, w io.Writer) error {
	ws := workspaces.Get().(*workspace)
	defer workspaces.Put(ws)
	r := newRowReader(img, rowsAt(img), ws)
	width, height := img.Size()
	enc, err := rle.NewWriter(w, width, height, ws.out)
	if err != nil {
		return inputError{err}
	}
	defer func() { ws.out = enc.Buffer() }()
	rows := rowsPerBlock(width)
	for y0 := 0; y0 < height; y0 += rows {
		block, err := r.rows(y0, min(y0+rows, height))
		if err != nil {
			return err
		}
		if err := enc.WriteRows(block); err != nil {
			return err
		}
	}
	return enc.Close()
}
