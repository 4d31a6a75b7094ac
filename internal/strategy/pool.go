package strategy

import (
	"cmp"
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/rle"
)

// Pool runs a bounded pool of opt.Jobs workers. For one image the work items
// are blocks of rows; for a batch they are images, so memory stays bounded
// by the images in flight.
type Pool struct{}

func (Pool) Name() string { return "pool" }

func (Pool) Run(ctx context.Context, jobs []Job, opt Options, report func(Result)) {
	workers := max(opt.Jobs, 1)
	if len(jobs) == 1 {
		conv := converter{
			encode: func(ctx context.Context, src *bitmap.File, w io.Writer) error {
				return encodeBlocks(ctx, src, w, workers)
			},
			decode: func(ctx context.Context, data []byte, w io.Writer) error {
				return decodeBlocks(ctx, data, w, workers)
			},
		}
		runEach(ctx, jobs, opt, conv, report)
		return
	}
	runBounded(ctx, jobs, workers, func(j Job) Result { return runJob(ctx, j, opt, serialConverter) }, report)
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

// decodeBlocks decodes an image with workers goroutines taking blocks of rows
// in turn, each writing its block at its place in the file, so decoding,
// converting rows to BMP order and copying them into the file all spread
// over the cores. A worker cuts its block off the rest of the file itself
// (rle.Decoder.Split finds where rows end without decoding them, about ten
// times faster than decoding), so no goroutine waits on a hand-over. A
// stream, written in order, is decoded serially.
//
// A malformed file is checked again from the start on one goroutine, so
// that the error reported is the first in the file, as serial decoding
// reports it, whichever worker met an error first.
func decodeBlocks(ctx context.Context, data []byte, w io.Writer, workers int) error {
	wa, ok := w.(io.WriterAt)
	if !ok || workers < 2 {
		return decodeSerial(ctx, data, w)
	}
	dec, err := rle.NewDecoder(data)
	if err != nil {
		return inputError{err}
	}
	h := dec.Header()
	if _, err := wa.WriteAt(bitmap.BMPHeader(h.Width, h.Height), 0); err != nil {
		return err
	}
	rows := rowsPerBlock(h.Width)
	var mu sync.Mutex // guards dec and y
	y := 0
	// take cuts off the next block: its decoder, first row and height.
	take := func() (*rle.Decoder, int, int, error) {
		mu.Lock()
		defer mu.Unlock()
		y0, n := y, min(rows, h.Height-y)
		if n == 0 {
			return nil, 0, 0, nil
		}
		part, err := dec.Split(n)
		if err != nil {
			return nil, 0, 0, inputError{err}
		}
		y += n
		return part, y0, n, nil
	}
	g, gctx := errgroup.WithContext(ctx)
	for range min(workers, (h.Height+rows-1)/rows) {
		g.Go(func() error {
			bw, err := newBandWriter(wa, h)
			if err != nil {
				return err
			}
			for gctx.Err() == nil {
				part, y0, n, err := take()
				if part == nil {
					return err
				}
				if err := bw.write(part, y0, n); err != nil {
					return err
				}
				if err := closeDecoder(part); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil || ctx.Err() != nil {
		return firstFault(data, cmp.Or(err, ctx.Err()))
	}
	return firstFault(data, closeDecoder(dec)) // nothing may follow the last row
}

// firstFault replaces an error reading the .rle file data with the first
// fault in the file, as serial decoding meets it.
func firstFault(data []byte, err error) error {
	if errors.As(err, new(inputError)) {
		if _, first := rle.Scan(data); first != nil {
			return inputError{first}
		}
	}
	return err
}
