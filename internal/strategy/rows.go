package strategy

import (
	"bytes"
	"context"
	"io"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/rle"
)

// Rows encodes every row of an image in its own goroutine (fan-out) and joins
// the results in row order (fan-in); images go one after another. It is the
// finest split there is, there to be compared with the others. It decodes
// as serial does: a goroutine per row would cost a write per row.
type Rows struct{}

func (Rows) Name() string { return "rows" }

func (Rows) Bounded() bool { return false }

func (Rows) Run(ctx context.Context, jobs []job.Job, opt Options, report func(job.Result)) {
	runEach(ctx, jobs, opt, converter{encode: encodeRows, decode: decodeSerial}, report)
}

func encodeRows(ctx context.Context, img codec.Image, w io.Writer) error {
	bm, err := codec.Decode(img)
	if err != nil {
		return inputError{err}
	}
	encoded := make([][]byte, bm.Height)
	// A row is encoded into scratch room for its worst case, a byte per
	// pixel, and kept at its real size: rows of a page encode to a few
	// percent of that, and allocating the worst case for every row made
	// garbage about ten times the image's size.
	scratch := sync.Pool{New: func() any { return new([]byte) }}
	g, ctx := errgroup.WithContext(ctx)
	for y := range bm.Height {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			buf := scratch.Get().(*[]byte)
			*buf = rle.AppendRow((*buf)[:0], bm.Row(y), bm.Width)
			encoded[y] = bytes.Clone(*buf)
			scratch.Put(buf)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return writeParts(w, rle.AppendHeader(nil, bm.Width, bm.Height), encoded)
}

// writeParts writes the header and the encoded parts in order, gathered into
// large writes.
func writeParts(w io.Writer, header []byte, parts [][]byte) error {
	buf := append(make([]byte, 0, 256<<10), header...)
	for _, p := range parts {
		if len(buf)+len(p) > cap(buf) && len(buf) > 0 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
		buf = append(buf, p...)
	}
	_, err := w.Write(buf)
	return err
}
