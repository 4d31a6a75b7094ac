package strategy

import (
	"io"
	"sync"
)

// How far the workers may run ahead of the next block due to be written.
// A worker descheduled in the middle of a block holds up the writes of every
// block after it, and on a shared VM a vCPU is taken away for milliseconds at
// a time; meanwhile the other workers go on encoding, up to these bounds,
// which are wide for that reason (docs/performance.md).
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
// write, and none waits for one: a writer goroutine, with as many workers
// as cores, runs only when a worker stops, and leaves a core idle until it
// catches up. A block is handed out only
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
