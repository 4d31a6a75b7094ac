package strategy

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// recordingWriter records, at each write, the most blocks that were out and
// the most bytes waiting.
type recordingWriter struct {
	bytes.Buffer
	o        *inOrder
	maxAhead int
	maxHeld  int
}

func (w *recordingWriter) Write(p []byte) (int, error) {
	w.o.mu.Lock()
	w.maxAhead = max(w.maxAhead, w.o.taken-w.o.next)
	w.maxHeld = max(w.maxHeld, w.o.held+len(p)) // p has left held already
	w.o.mu.Unlock()
	return w.Buffer.Write(p)
}

// TestInOrder: blocks finished in any order by several goroutines are written
// in order, never more than the window ahead nor, past what the blocks in
// hand add, more than the budget waiting, and a failure stops the rest.
func TestInOrder(t *testing.T) {
	const total, workers, maxBlock = 300, 6, 100
	for _, tc := range []struct{ window, budget int }{
		{window: 4, budget: 1 << 20},       // the window binds
		{window: 64, budget: 3 * maxBlock}, // the budget binds
	} {
		t.Run(fmt.Sprintf("window %d budget %d", tc.window, tc.budget), func(t *testing.T) {
			w := &recordingWriter{}
			o := newInOrder(w, total, tc.window, tc.budget)
			w.o = o
			block := func(b int) []byte { // 1 to maxBlock bytes, told apart by b
				return fmt.Appendf(nil, "%d:%s,", b, bytes.Repeat([]byte{'x'}, b*7919%(maxBlock-10)))
			}
			var wg sync.WaitGroup
			for i := range workers {
				r := rand.New(rand.NewPCG(uint64(i), 1))
				wg.Go(func() {
					for {
						b, buf, ok := o.take()
						if !ok {
							return
						}
						time.Sleep(time.Duration(r.IntN(200)) * time.Microsecond)
						o.done(b, append(buf, block(b)...))
					}
				})
			}
			wg.Wait()
			var want bytes.Buffer
			for b := range total {
				want.Write(block(b))
			}
			if o.err != nil || w.String() != want.String() {
				t.Fatalf("wrote %q (error %v), want %q", w.String(), o.err, want.String())
			}
			if w.maxAhead > tc.window {
				t.Errorf("%d blocks were out at once; the window is %d", w.maxAhead, tc.window)
			}
			if limit := tc.budget + workers*maxBlock; w.maxHeld > limit {
				t.Errorf("%d bytes waited at once; at most %d may", w.maxHeld, limit)
			}
			if o.held != 0 {
				t.Errorf("%d bytes still counted as waiting after all were written", o.held)
			}
		})
	}

	o := newInOrder(&bytes.Buffer{}, total, 4, 1<<20)
	b, _, _ := o.take()
	o.fail(errors.New("bad block"))
	o.done(b, []byte("x"))
	if _, _, ok := o.take(); ok || o.err == nil || o.next != 0 {
		t.Errorf("after a failure: take ok %v, err %v, %d written", ok, o.err, o.next)
	}
}
