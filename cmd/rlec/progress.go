package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progressLine is the progress bar of a batch: one line on a terminal,
// redrawn in place every refresh, showing files and bytes done, the rate and
// the time left. Failures written through it appear above the line, which
// is drawn again below them.
//
// It is not a library's (such as vbauerster/mpb): their packages' init,
// run by every rlec process whether it shows a bar or not, costs a
// noticeable part of a short run, and a batch needs one line, not a
// library of bars.
type progressLine struct {
	w          io.Writer
	files      int   // in the batch
	totalBytes int64 // of the inputs
	start      time.Time

	mu        sync.Mutex
	doneFiles int
	doneBytes int64
	drawn     bool // a line is on the screen
	finished  bool

	stop    chan struct{}
	stopped chan struct{}
}

// progressRefresh is how often the line is redrawn.
const progressRefresh = 100 * time.Millisecond

// The line fits in progressColumns, the narrowest common terminal (a line
// that wraps is not redrawn in place): the bar takes what the figures leave,
// between 10 and 30 cells.
const (
	progressColumns = 80
	minBarWidth     = 10
	maxBarWidth     = 30
)

// eraseLine moves to the start of the line and clears it (ECMA-48 EL).
const eraseLine = "\r\x1b[K"

// newProgressLine draws the progress of a batch of files whose inputs total
// totalBytes, at once and then every refresh until finish.
func newProgressLine(w io.Writer, files int, totalBytes int64, refresh time.Duration) *progressLine {
	p := &progressLine{w: w, files: files, totalBytes: totalBytes, start: time.Now(),
		stop: make(chan struct{}), stopped: make(chan struct{})}
	p.draw(p.start)
	go func() {
		defer close(p.stopped)
		tick := time.NewTicker(refresh)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				return
			case now := <-tick.C:
				p.mu.Lock()
				p.draw(now)
				p.mu.Unlock()
			}
		}
	}()
	return p
}

// add counts a file done, of n bytes of input.
func (p *progressLine) add(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.doneFiles++
	p.doneBytes += n
}

// Write prints b above the line: b should be whole lines.
func (p *progressLine) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
	n, err := p.w.Write(b)
	if !p.finished {
		p.draw(time.Now())
	}
	return n, err
}

// finish stops drawing and removes the line.
func (p *progressLine) finish() {
	close(p.stop)
	<-p.stopped
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
	p.finished = true
}

func (p *progressLine) erase() {
	if p.drawn {
		io.WriteString(p.w, eraseLine)
		p.drawn = false
	}
}

func (p *progressLine) draw(now time.Time) {
	io.WriteString(p.w, eraseLine+p.line(now.Sub(p.start)))
	p.drawn = true
}

// line is the text of the line after elapsed time:
// "3/36 files [==>                          ] 14.1 MB / 166.0 MB, 52.2 MB/s, eta 3s".
func (p *progressLine) line(elapsed time.Duration) string {
	head := fmt.Sprintf("%d/%d files ", p.doneFiles, p.files)
	tail := fmt.Sprintf(" %s / %s", humanBytes(p.doneBytes), humanBytes(p.totalBytes))
	if p.doneBytes > 0 && elapsed > 0 {
		rate := float64(p.doneBytes) / elapsed.Seconds() // bytes a second
		left := time.Duration(float64(max(0, p.totalBytes-p.doneBytes)) / rate * float64(time.Second))
		tail += fmt.Sprintf(", %s/s, eta %s", humanBytes(int64(rate)), left.Round(time.Second))
	}
	width := min(maxBarWidth, max(minBarWidth, progressColumns-len(head)-len(tail)-len("[]")))
	frac := 1.0
	if p.totalBytes > 0 {
		frac = min(1, float64(p.doneBytes)/float64(p.totalBytes))
	}
	full := int(frac * float64(width))
	bar := strings.Repeat("=", full)
	if full < width {
		bar += ">" + strings.Repeat(" ", width-full-1)
	}
	return head + "[" + bar + "]" + tail
}
