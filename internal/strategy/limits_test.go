package strategy_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rlec/rlec/internal/batch"
	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/strategy"
)

// probe samples counts every 100µs while a batch runs and keeps the largest
// of each that two samples in a row agree on. /proc is not read atomically:
// the links of /proc/self/fd are read after their listing, and each thread's
// children file one after the other, so a handle closed and reopened, or a
// child reaped and replaced, between two reads can be seen twice. Such a
// misreading lasts microseconds; running more than the limit would last as
// long as a job, milliseconds, and shows in consecutive samples. One probe
// takes all its counts in one pass, so that no other probe's handles move
// the numbers under it.
func probe(count func() []int) (stop func() []int) {
	var wg sync.WaitGroup
	done := make(chan struct{})
	var most, last []int
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			counts := count()
			if most == nil {
				most = make([]int, len(counts))
			}
			for i, n := range counts {
				if last != nil {
					most[i] = max(most[i], min(n, last[i]))
				}
			}
			last = counts
			time.Sleep(100 * time.Microsecond)
		}
	}()
	return func() []int {
		close(done)
		wg.Wait()
		return most
	}
}

// liveChildren counts this process's child processes, as the kernel sees them.
func liveChildren() int {
	files, _ := filepath.Glob("/proc/self/task/*/children")
	n := 0
	for _, f := range files {
		data, _ := os.ReadFile(f)
		n += len(strings.Fields(string(data)))
	}
	return n
}

// openUnder counts this process's open files below each of dirs.
func openUnder(dirs ...string) []int {
	fds, _ := os.ReadDir("/proc/self/fd")
	counts := make([]int, len(dirs))
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err != nil {
			continue
		}
		for i, dir := range dirs {
			if strings.HasPrefix(target, dir+string(filepath.Separator)) {
				counts[i]++
			}
		}
	}
	return counts
}

func limitBatch(t *testing.T, n int) (in string, jobs func(out string) []job.Job) {
	t.Helper()
	in = t.TempDir()
	data := bmptest.Build(bmptest.Spec{Width: 2000, Height: 1500, BitsPerPixel: 1, Palette: bmptest.BlackWhite,
		Pixel: func(x, y int) uint32 { return uint32((x*x + y*7) >> 4 & 1) }})
	for i := range n {
		if err := os.WriteFile(filepath.Join(in, fmt.Sprintf("%03d.bmp", i)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return in, func(out string) []job.Job {
		l, err := batch.Batch{Op: job.Compress, InDir: in, OutDir: out}.List()
		if err != nil {
			t.Fatal(err)
		}
		return l.Jobs
	}
}

// TestProcessLimit: the process strategy never runs more than Jobs children.
func TestProcessLimit(t *testing.T) {
	_, jobs := limitBatch(t, 12)
	for _, limit := range []int{1, 2, 3} {
		stop := probe(func() []int { return []int{liveChildren()} })
		run(t, strategy.Process{}, jobs(t.TempDir()), options(limit))
		most := stop()[0]
		if most > limit {
			t.Errorf("--jobs %d: saw %d children at once", limit, most)
		}
		if most == 0 {
			t.Fatalf("--jobs %d: the probe never saw a child", limit)
		}
	}
}

// TestPoolLimit: the pool never works on more than Jobs images at once: no
// more than Jobs inputs and Jobs temporary outputs are open at any time.
func TestPoolLimit(t *testing.T) {
	in, jobs := limitBatch(t, 40)
	for _, limit := range []int{1, 2} {
		out := t.TempDir()
		stop := probe(func() []int { return openUnder(in, out) })
		run(t, strategy.Pool{}, jobs(out), options(limit))
		most := stop()
		mostIn, mostOut := most[0], most[1]
		if mostIn > limit || mostOut > limit {
			t.Errorf("--jobs %d: saw %d inputs and %d outputs open at once", limit, mostIn, mostOut)
		}
		if mostIn == 0 {
			t.Fatalf("--jobs %d: the probe never saw an open input", limit)
		}
	}
}
