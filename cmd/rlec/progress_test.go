package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProgressLineText(t *testing.T) {
	tests := []struct {
		files, done      int
		total, doneBytes int64
		elapsed          time.Duration
		want             string
	}{
		{36, 0, 166e6, 0, 0, "0/36 files [>                             ] 0 B / 166.0 MB"},
		{36, 3, 166e6, 14_100_000, 270 * time.Millisecond,
			"3/36 files [==>                          ] 14.1 MB / 166.0 MB, 52.2 MB/s, eta 3s"},
		{36, 18, 166e6, 83e6, 2 * time.Second,
			"18/36 files [==============>             ] 83.0 MB / 166.0 MB, 41.5 MB/s, eta 2s"},
		{2, 2, 2000, 2000, time.Second, "2/2 files [==============================] 2.0 kB / 2.0 kB, 2.0 kB/s, eta 0s"},
		// Inputs that grew since they were measured: the bar stays full.
		{2, 2, 2000, 3000, time.Second, "2/2 files [==============================] 3.0 kB / 2.0 kB, 3.0 kB/s, eta 0s"},
		// Long figures: the bar narrows to keep the line in 80 columns.
		{99999, 12345, 999_990_000_000, 100e9, 3597 * time.Second,
			"12345/99999 files [=>           ] 100.00 GB / 999.99 GB, 27.8 MB/s, eta 8h59m33s"},
		// No bytes to count (empty or vanished inputs): only files.
		{3, 1, 0, 0, time.Second, "1/3 files [==============================] 0 B / 0 B"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			p := &progressLine{files: tt.files, totalBytes: tt.total, doneFiles: tt.done, doneBytes: tt.doneBytes}
			if got := p.line(tt.elapsed); got != tt.want {
				t.Errorf("line(%v) of %d/%d files, %d/%d bytes:\n got %q\nwant %q", tt.elapsed, tt.done, tt.files, tt.doneBytes, tt.total, got, tt.want)
			}
			if got := p.line(tt.elapsed); len(got) > progressColumns {
				t.Errorf("line %q is wider than 80 columns", got)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer that the test may read while the line's
// goroutine draws on it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestProgressLineFailuresAbove(t *testing.T) {
	var out syncBuffer
	p := newProgressLine(&out, 3, 3000, time.Hour) // no redraw but those asked for
	p.add(1000)
	p.Write([]byte("rlec: a.bmp: not a BMP file\n"))
	p.finish()
	p.Write([]byte("rlec: after\n"))
	got := out.String()
	// Drawn at once; erased, the failure printed, drawn again below it;
	// erased at the end; nothing drawn after.
	want := []string{
		eraseLine + "0/3 files [>",
		eraseLine + "rlec: a.bmp: not a BMP file\n",
		eraseLine + "1/3 files [==========>",
		eraseLine + "rlec: after\n",
	}
	rest := got
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("output %q: no %q after what came before", got, w)
		}
		rest = rest[i+len(w):]
	}
	if rest != "" {
		t.Errorf("output %q ends with %q, want the failure after finish", got, rest)
	}
}

func TestProgressLineRedraws(t *testing.T) {
	var out syncBuffer
	p := newProgressLine(&out, 1, 1, time.Millisecond)
	deadline := time.Now().Add(10 * time.Second)
	for strings.Count(out.String(), eraseLine) < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	p.finish()
	n := strings.Count(out.String(), eraseLine)
	if n < 4 { // three draws and the erase
		t.Fatalf("drawn %d times in 10 s with a 1 ms refresh", n-1)
	}
	time.Sleep(10 * time.Millisecond)
	if got := strings.Count(out.String(), eraseLine); got != n {
		t.Errorf("drawn again after finish: %d erase sequences, then %d", n, got)
	}
	if !strings.HasSuffix(out.String(), eraseLine) {
		t.Errorf("the line is not erased at the end: %q", out.String())
	}
}
