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

// blockBufferSize is the room a block's encoded rows start with: its pixels'
// packed size, which few blocks of a document exceed (they average a tenth of
// it), and a row more. Grown row by row from nothing instead, a buffer was
// copied and reallocated a few times per block, and each new allocation
// touched fresh pages: 120 of the 490 page faults of compressing a 40-Mpixel
// page. Capacity never written is never touched.
func blockBufferSize(width int) int { return blockPixels/8 + width }

// encodeBlocks encodes src with workers goroutines taking blocks of rows in
// turn. A 1-bit file is read by the workers too, each block into the
// worker's own band, so reading is spread over the cores, each block is
// encoded while it is in cache, and the image is never held whole. The
// blocks are written in order by whichever worker finishes the next one due
// (inOrder), within aheadBlocks and aheadBytes of it.
func encodeBlocks(ctx context.Context, src *bitmap.File, w io.Writer, workers int) error {
	full, err := decodeUnlessBanded(src)
	if err != nil {
		return err
	}
	// Blocks are gathered into writes of blockWriteSize: a 1200-dpi page is
	// 259 blocks of a few KiB, and a write for each cost about 5% of the
	// time of compressing it.
	bw := bufio.NewWriterSize(w, blockWriteSize)
	bw.Write(rle.AppendHeader(nil, src.Width, src.Height)) // its error is Flush's
	rows := rowsPerBlock(src.Width)
	blocks := (src.Height + rows - 1) / rows
	out := newInOrder(bw, blocks, aheadBlocks, aheadBytes)
	defer context.AfterFunc(ctx, func() { out.fail(ctx.Err()) })()
	// work encodes blocks until none is left; failures go to out.
	work := func() {
		ws := workspaces.Get().(*workspace)
		defer workspaces.Put(ws)
		r := &rowReader{src: src, full: full, ws: ws}
		for {
			b, buf, ok := out.take()
			if !ok {
				return
			}
			if buf == nil {
				buf = make([]byte, 0, blockBufferSize(src.Width))
			}
			block, err := r.rows(b*rows, min(b*rows+rows, src.Height))
			if err != nil {
				out.fail(err)
				return
			}
			out.done(b, rle.AppendRows(buf, block))
		}
	}
	// This goroutine is one of the workers rather than waiting for them:
	// an image of one block is then encoded with no hand-over at all. That
	// saved 0.06 ms in compressing an 8-pixel image (145 of 150 paired
	// runs), and made no difference on pages of many blocks. (Decompression
	// keeps its caller waiting: the same change made a 40-Mpixel page 0.2 ms
	// slower to decompress, slower in 227 of 400 paired runs.)
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
// fault on the worker that first copies into it: at 128 KiB rather than
// encodeSerial's 256 (flushSize), compressing the 1200-dpi page took 32
// fewer faults and 0.38 ms less (median paired difference, 300 alternating
// runs, faster in 171), and the 660-dpi page 0.32 ms less (faster in 184 of
// 300); 64 KiB saved 0.33 and 0.21 ms. (Serial gained nothing from 128 KiB.)
const blockWriteSize = 128 << 10

// How far the workers may run ahead of the next block due to be written.
// A worker descheduled in the middle of a block holds up the writes of every
// block after it, and on a shared VM a vCPU is taken away for milliseconds at
// a time; meanwhile the other workers go on encoding, up to these bounds.
// With 2 blocks per worker as the bound instead, compressing a 1200-dpi page
// (259 blocks of about 50 µs of work each) took 14.6 ms against 11.1 ms with
// 128 blocks, in interleaved hyperfine runs at 23% steal.
//
// aheadBytes bounds the memory the waiting blocks hold whatever the image:
// a document's block encodes to a few KiB, but noise encodes to a byte a
// pixel, 512 KiB a block. (Buffers are reused last in, first out, so only as
// many of them as the bounds let out at once are ever grown.)
const (
	aheadBlocks = 128
	aheadBytes  = 4 << 20
)

// inOrder writes blocks numbered 0, 1, 2... to w in that order, whichever
// goroutines finish them: the one that hands in the next block due writes it,
// and every block after it already waiting. No goroutine exists only to
// write, and none waits for one. (With a writer goroutine, and as many
// workers as cores, the writer ran only when a worker stopped: the workers
// filled the window, stopped, and left a core idle until it caught up; on a
// VM an idle core can take milliseconds to wake.) A block is handed out only
// within window blocks of the next due, and while the blocks waiting to be
// written hold at most budget bytes, which bounds the memory held whatever
// the image's size; written blocks' buffers are reused.
type inOrder struct {
	w      io.Writer
	total  int
	window int
	budget int

	mu      sync.Mutex
	moved   *sync.Cond     // a block was written, or the work failed
	taken   int            // blocks handed out
	next    int            // the next block to write
	writing bool           // a goroutine is writing, outside the lock
	waiting map[int][]byte // blocks handed in, not yet written
	held    int            // bytes in waiting
	free    [][]byte       // buffers of written blocks
	err     error          // the first failure: no block is handed out after it
}

func newInOrder(w io.Writer, total, window, budget int) *inOrder {
	o := &inOrder{w: w, total: total, window: window, budget: budget, waiting: map[int][]byte{}}
	o.moved = sync.NewCond(&o.mu)
	return o
}

// full reports whether no block may be handed out until one is written.
// (While blocks wait, the block due is out, so one will be.)
func (o *inOrder) full() bool {
	return o.taken >= o.next+o.window || o.held > o.budget
}

// take hands out the next block's number and a buffer to encode it into,
// waiting while the window is full; ok is false when there is no block left
// or the work failed.
func (o *inOrder) take() (block int, buf []byte, ok bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for o.err == nil && o.taken < o.total && o.full() {
		o.moved.Wait()
	}
	if o.err != nil || o.taken >= o.total {
		return 0, nil, false
	}
	if n := len(o.free); n > 0 {
		buf, o.free = o.free[n-1], o.free[:n-1]
	}
	o.taken++
	return o.taken - 1, buf, true
}

// done hands in an encoded block, and writes the blocks now due unless
// another goroutine is writing them.
func (o *inOrder) done(block int, data []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.waiting[block] = data
	o.held += len(data)
	if o.writing {
		return // the writer writes this one too, if it is due
	}
	o.writing = true
	for o.err == nil {
		data, ok := o.waiting[o.next]
		if !ok {
			break
		}
		delete(o.waiting, o.next)
		o.held -= len(data)
		o.mu.Unlock()
		_, err := o.w.Write(data)
		o.mu.Lock()
		if err != nil && o.err == nil {
			o.err = err
		}
		o.free = append(o.free, data[:0])
		o.next++
		o.moved.Broadcast()
	}
	o.writing = false
}

// failure is the first failure, or nil. (Read under the lock: ctx's
// AfterFunc may still call fail after the workers are done.)
func (o *inOrder) failure() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err
}

// fail stops the work: no block is handed out or written after it. The
// first failure is the one reported.
func (o *inOrder) fail(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err == nil {
		o.err = err
	}
	o.moved.Broadcast()
}

// decodeBlocks decodes an image with workers goroutines taking chunks of the
// BMP file in turn (bmpChunks), each writing its chunk at its place in the
// file, so decoding and copying into the file both spread over the cores.
// A chunk's rows are cut off the rest of the .rle file as it is handed out
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
	chunks := newBMPChunks(dec, chunkSize, true)
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
