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

// recordingWriter checks that at most window blocks were out at each write.
type recordingWriter struct {
	bytes.Buffer
	o        *inOrder
	maxAhead int
}

func (w *recordingWriter) Write(p []byte) (int, error) {
	w.o.mu.Lock()
	w.maxAhead = max(w.maxAhead, w.o.taken-w.o.next)
	w.o.mu.Unlock()
	return w.Buffer.Write(p)
}

// TestInOrder: blocks finished in any order by several goroutines are written
// in order, never more than the window ahead, and a failure stops the rest.
func TestInOrder(t *testing.T) {
	const total, window, workers = 200, 4, 6
	w := &recordingWriter{}
	o := newInOrder(w, total, window)
	w.o = o
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
				o.done(b, fmt.Appendf(buf, "%d,", b))
			}
		})
	}
	wg.Wait()
	var want bytes.Buffer
	for b := range total {
		fmt.Fprintf(&want, "%d,", b)
	}
	if o.err != nil || w.String() != want.String() {
		t.Fatalf("wrote %q (error %v), want %q", w.String(), o.err, want.String())
	}
	if w.maxAhead > window {
		t.Errorf("%d blocks were out at once; the window is %d", w.maxAhead, window)
	}

	o = newInOrder(&bytes.Buffer{}, total, window)
	b, _, _ := o.take()
	o.fail(errors.New("bad block"))
	o.done(b, []byte("x"))
	if _, _, ok := o.take(); ok || o.err == nil || o.next != 0 {
		t.Errorf("after a failure: take ok %v, err %v, %d written", ok, o.err, o.next)
	}
}
