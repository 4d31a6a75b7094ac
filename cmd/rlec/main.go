// Command rlec compresses black-and-white images into the run-length format
// of the Python 3 Object-Oriented Programming case study, and back.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"sync/atomic"
	"syscall"
)

func main() {
	tuneGC()
	os.Exit(mainWithSignals(os.Args[1:]))
}

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
	ctx, caught := notifyContext()
	code := run(ctx, args, systemStreams())
	if sig := caught(); sig != nil {
		code = 128 + int(sig.(syscall.Signal))
	}
	return code
}

// notifyContext returns a context cancelled by the first SIGINT or SIGTERM,
// and a function telling which signal that was. A second signal ends the
// process at once, as it does for other Unix tools.
func notifyContext() (context.Context, func() os.Signal) {
	ctx, cancel := context.WithCancel(context.Background())
	var caught atomic.Value
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		sig := <-ch
		caught.Store(sig)
		cancel()
		sig = <-ch
		os.Exit(128 + int(sig.(syscall.Signal)))
	}()
	return ctx, func() os.Signal {
		sig, _ := caught.Load().(os.Signal)
		return sig
	}
}
