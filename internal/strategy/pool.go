package strategy

import (
	"context"
	"io"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/rle"
)

// Pool runs a bounded pool of opt.Jobs workers. For one image the work items
// are blocks of rows, written in order as they finish; for a batch they are
// images, so memory stays bounded by the images in flight.
type Pool struct{}

func (Pool) Name() string { return "pool" }

func (Pool) Run(ctx context.Context, jobs []Job, opt Options, report func(Result)) {
	workers := max(opt.Jobs, 1)
	if len(jobs) == 1 {
		enc := func(ctx context.Context, src *bitmap.File, w io.Writer) error {
			return encodeBlocks(ctx, src, w, workers)
		}
		runEach(ctx, jobs, opt, enc, report)
		return
	}
	runBounded(ctx, jobs, workers, func(j Job) Result { return runJob(ctx, j, opt, encodeSerial) }, report)
}

// runBounded runs each job through run, at most limit at once, and reports
// the results one at a time.
func runBounded(ctx context.Context, jobs []Job, limit int, run func(Job) Result, report func(Result)) {
	var mu sync.Mutex
	var g errgroup.Group
	g.SetLimit(limit)
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			res := run(j)
			mu.Lock()
			defer mu.Unlock()
			report(res)
			return nil
		})
	}
	g.Wait()
}

// blockPixels is the size of one work item of a single image: large enough
// that handing it over costs little, small enough to spread the rows of a
// page over the workers evenly and to stay in cache.
const blockPixels = 1 << 19

// rowsPerBlock is how many rows of an image of this width make a block.
func rowsPerBlock(width int) int { return max(1, blockPixels/max(width, 1)) }

// encodeBlocks encodes src with workers goroutines taking blocks of rows in
// turn, and writes the blocks in order. A 1-bit file is read by the workers
// too, each block into the worker's own band, so reading is spread over the
// cores, each block is encoded while it is in cache, and the image is never
// held whole. A worker needs a buffer from free to take a block, and the
// writer gives it back once the block is written, so at most 2*workers blocks
// are in flight whatever the image's size, and their buffers are reused.
func encodeBlocks(ctx context.Context, src *bitmap.File, w io.Writer, workers int) error {
	full, err := decodeUnlessBanded(src)
	if err != nil {
		return err
	}
	rows := rowsPerBlock(src.Width)
	blocks := (src.Height + rows - 1) / rows
	done := make([]chan []byte, blocks)
	for i := range done {
		done[i] = make(chan []byte, 1)
	}
	free := make(chan []byte, 2*workers)
	for range cap(free) {
		free <- nil
	}
	ctx, stop := context.WithCancel(ctx) // stops the workers if the writer fails
	defer stop()
	g, ctx := errgroup.WithContext(ctx)
	var next atomic.Int64
	for range min(workers, blocks) {
		g.Go(func() error {
			r := &rowReader{src: src, full: full}
			for {
				var buf []byte
				select {
				case buf = <-free:
				case <-ctx.Done():
					return nil
				}
				b := int(next.Add(1)) - 1
				if b >= blocks {
					return nil
				}
				block, err := r.rows(b*rows, min(b*rows+rows, src.Height))
				if err != nil {
					return err
				}
				done[b] <- rle.AppendRows(buf[:0], block)
			}
		})
	}
	err = writeBlocks(ctx, w, rle.AppendHeader(nil, src.Width, src.Height), done, free)
	stop()
	if werr := g.Wait(); werr != nil { // a worker's failure is the cause
		return werr
	}
	return err
}

// writeBlocks writes the header, then each block as it arrives, in order,
// handing each buffer back to free.
func writeBlocks(ctx context.Context, w io.Writer, header []byte, done []chan []byte, free chan<- []byte) error {
	if _, err := w.Write(header); err != nil {
		return err
	}
	for _, ch := range done {
		select {
		case buf := <-ch:
			if _, err := w.Write(buf); err != nil {
				return err
			}
			free <- buf
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
