// Command rlec compresses black-and-white images into the run-length format
// of the Python 3 Object-Oriented Programming case study, and back.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	_ "github.com/rlec/rlec/internal/codec/all" // every image format rlec reads
)

func main() {
	tuneGC()
	os.Exit(mainWithSignals(os.Args[1:]))
}

// initPoller sets up the runtime's poller now, while file handles are left:
// the runtime sets it up with the first timer it needs (its own, for one),
// and when the process has no handle left by then, which a batch near its
// ulimit -n can bring about, that failure ends the program. A timer that
// runs a function goes to the runtime's timer heap at once, which sets the
// poller up.
func initPoller() { time.AfterFunc(time.Hour, func() {}).Stop() }

// gcMemoryLimit is the heap size at which rlec starts collecting garbage.
const gcMemoryLimit = 64 << 20

// tuneGC collects garbage only as the heap nears gcMemoryLimit, unless the
// user set GOGC or GOMEMLIMIT. rlec's heap is a few large buffers with no
// pointers in them (bitsets, file data), so collections triggered as the
// first image's bitset is allocated are wasted work: about a sixth of the
// time of compressing one page. Batches still collect, at the limit, which
// keeps their memory bounded; an image larger than the limit makes the
// collector run often, but it has no pointers to trace.
func tuneGC() {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(-1)
		debug.SetMemoryLimit(gcMemoryLimit)
	}
}

// mainWithSignals runs the command line on the process's own streams and
// returns the exit status: 128+N when signal N interrupted it (130 for
// SIGINT, 143 for SIGTERM), as shells report.
func mainWithSignals(args []string) int {
	initPoller()
	sig := newInterrupts()
	streams := systemStreams()
	streams.ArmSignals = sig.arm
	streams.KeepOnBrokenPipe = func() { signal.Ignore(syscall.SIGPIPE) }
	code := run(sig.ctx, args, streams)
	if s := sig.caught(); s != nil {
		code = 128 + int(s.(syscall.Signal))
	}
	return code
}

// interrupts turns the first SIGINT or SIGTERM into the cancellation of ctx
// once armed; a second one ends the process at once, as it does for other
// Unix tools. Until then the signals keep their default action, which ends
// the process at once, and commands arm them before making anything that
// would outlive a killed process: a named temporary file, a child process.
// Compressing one file to an unnamed temporary file never arms them, and
// saves what they take to install, a noticeable part of a short run: the
// runtime starts a thread for them and hands each signal to it.
type interrupts struct {
	ctx    context.Context
	cancel context.CancelFunc
	once   sync.Once
	sig    atomic.Value // the first signal caught
}

func newInterrupts() *interrupts {
	ctx, cancel := context.WithCancel(context.Background())
	return &interrupts{ctx: ctx, cancel: cancel}
}

// arm installs the handlers; calls after the first do nothing.
func (in *interrupts) arm() {
	in.once.Do(func() {
		ch := make(chan os.Signal, 2)
		signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
		go func() {
			sig := <-ch
			in.sig.Store(sig)
			in.cancel()
			sig = <-ch
			os.Exit(128 + int(sig.(syscall.Signal)))
		}()
	})
}

// caught tells which signal cancelled ctx, if one did.
func (in *interrupts) caught() os.Signal {
	sig, _ := in.sig.Load().(os.Signal)
	return sig
}
