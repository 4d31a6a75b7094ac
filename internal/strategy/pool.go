package strategy

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"io"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/rle"
)

// Pool runs a bounded pool of opt.Jobs workers. For one image the work items
// are blocks of rows; for a batch they are images, so memory stays bounded
// by the images in flight.
type Pool struct{}

func (Pool) Name() string { return "pool" }

func (Pool) Bounded() bool { return true }

func (Pool) Run(ctx context.Context, jobs []job.Job, opt Options, report func(job.Result)) {
	workers := max(opt.Jobs, 1)
	if len(jobs) == 1 {
		conv := converter{
			encode: func(ctx context.Context, img codec.Image, w io.Writer) error {
				return encodeBlocks(ctx, img, w, workers)
			},
			decode: func(ctx context.Context, data []byte, t target, w io.Writer) error {
				return decodeBlocks(ctx, data, t, w, workers)
			},
		}
		runEach(ctx, jobs, opt, conv, report)
		return
	}
	// A job in this process holds its input and its output open.
	workers = min(workers, fileio.JobsWithin(2))
	runBounded(ctx, jobs, workers, func(j job.Job) job.Result { return runJob(ctx, j, opt, serialConverter) }, report)
}

// runBounded runs each job through run, at most limit at once, and reports
// the results one at a time.
func runBounded(ctx context.Context, jobs []job.Job, limit int, run func(job.Job) job.Result, report func(job.Result)) {
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

// blockBufferSize is the room a block's encoded rows start with: its pixels'
// packed size, which few blocks of a document exceed, and a row more. Grown
// row by row from nothing instead, a buffer is copied and reallocated a few
// times a block, each time in fresh memory, which costs page faults.
// Capacity never written is never touched.
func blockBufferSize(width int) int { return blockPixels/8 + width }

// encodeBlocks encodes img with workers goroutines taking blocks of rows in
// turn. The workers read the rows too, each block into the worker's own
// band: an image whose rows can be read at any place (a 1-bit one) is read
// on every core at once, others in turn. Each block is encoded while it is
// in cache, and the image is never held whole. The blocks are written in
// order by whichever worker finishes the next one due (inOrder), within
// aheadBlocks and aheadBytes of it.
func encodeBlocks(ctx context.Context, img codec.Image, w io.Writer, workers int) error {
	width, height := img.Size()
	if width > bitmap.MaxDimension || height > bitmap.MaxDimension {
		_, err := rle.NewWriter(w, width, height, nil)
		return inputError{err}
	}
	at := rowsAt(img)
	// Blocks are gathered into larger writes: a write for each block of a
	// large page costs a few per cent of the time of compressing it.
	bw := bufio.NewWriterSize(w, blockWriteSize)
	bw.Write(rle.AppendHeader(nil, width, height)) // its error is Flush's
	rows := rowsPerBlock(width)
	blocks := (height + rows - 1) / rows
	out := newInOrder(bw, blocks, aheadBlocks, aheadBytes)
	defer context.AfterFunc(ctx, func() { out.fail(ctx.Err()) })()
	// work encodes blocks until none is left; failures go to out.
	work := func() {
		ws := workspaces.Get().(*workspace)
		defer workspaces.Put(ws)
		r := newRowReader(img, at, ws)
		for {
			b, buf, ok := out.take()
			if !ok {
				return
			}
			if buf == nil {
				buf = make([]byte, 0, blockBufferSize(width))
			}
			block, err := r.rows(b*rows, min(b*rows+rows, height))
			if err != nil {
				out.fail(err)
				return
			}
			out.done(b, rle.AppendRows(buf, block))
		}
	}
	// This goroutine is one of the workers rather than waiting for them:
	// an image of one block is then encoded with no hand-over at all.
	// (Decompression keeps its caller waiting, which measured faster there.)
	var g errgroup.Group
	for range min(workers, blocks) - 1 {
		g.Go(func() error { work(); return nil })
	}
	work()
	g.Wait()
	if err := out.failure(); err != nil {
		return err
	}
	return bw.Flush()
}

// blockWriteSize is how much of the encoded blocks is gathered before a
// write. The gathering buffer is fresh memory, each of its pages a page
// fault on the worker that first copies into it, so it is smaller than a
// serial writer's (rle.FlushSize), which measured faster.
const blockWriteSize = 128 << 10

// decodeBlocks decodes an image with workers goroutines taking chunks of the
// file in turn (layoutChunks), each writing its chunk at its place in the
// file, so decoding and copying into the file both spread over the cores.
// A chunk's rows are cut off the rest of the .rle file as it is handed out
// (rle.Decoder.Split finds where rows end without decoding them, several
// times faster than decoding), so no goroutine waits on a hand-over. A
// stream, written in order, and a format whose rows do not sit at fixed
// places (PNG, TIFF) are decoded serially.
//
// A malformed file is checked again from the start on one goroutine, so
// that the error reported is the first in the file, as serial decoding
// reports it, whichever worker met an error first.
func decodeBlocks(ctx context.Context, data []byte, t target, w io.Writer, workers int) error {
	wa, ok := w.(io.WriterAt)
	if !ok || workers < 2 {
		return decodeSerial(ctx, data, t, w)
	}
	dec, layout, err := t.open(data)
	if err != nil {
		return err
	}
	if layout == nil {
		return decodeEncoded(ctx, data, dec, t, w)
	}
	chunks := newLayoutChunks(dec, layout, chunkSize, true)
	// Room allocated ahead makes the workers' writes wait less on each
	// other (see reserve). Serial decoding does not reserve: for one
	// goroutine writing alone the call cost as much as it saved.
	if r, ok := w.(interface{ Reserve(int64) error }); ok {
		if err := r.Reserve(chunks.size); err != nil {
			return err
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	// work decodes and writes chunks until none is left. data may be a
	// mapped file, so it runs inside guardFaults, as its caller does.
	work := func() error {
		ws := workspaces.Get().(*workspace)
		defer workspaces.Put(ws)
		return writeChunks(gctx, chunks, newChunkWriter(wa, chunks, ws))
	}
	for range min(workers, chunks.count()) {
		g.Go(func() error { return guardFaults(data, work) })
	}
	if err := g.Wait(); err != nil || ctx.Err() != nil {
		return firstFault(data, cmp.Or(err, ctx.Err()))
	}
	return firstFault(data, chunks.finish()) // nothing may follow the last row
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
