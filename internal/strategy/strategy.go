// Package strategy decides where the work of converting files runs: one
// goroutine, a goroutine per row, a bounded pool of workers, or a child
// process per image. Every strategy writes the same bytes.
package strategy

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/job"
)

// Options are the settings every strategy shares.
type Options struct {
	// Jobs bounds how many workers (pool) or children (process) run at once.
	Jobs int
	// Force replaces existing outputs; without it they are refused.
	Force bool
	// Write are the settings of the images decompression writes.
	Write codec.WriteOptions
	// Stdin and Stdout serve jobs whose In or Out is Stdio.
	Stdin  io.Reader
	Stdout io.Writer
	// Command builds the command that runs rlec itself with args; the
	// process strategy needs it.
	Command func(ctx context.Context, args ...string) *exec.Cmd
	// Guard, when not nil, is called before a job makes anything that a
	// killed process would leave behind: a named temporary file, or a child
	// process. rlec installs its signal handlers there, so that a command
	// that makes neither does not pay for them.
	Guard func()
}

// Strategy runs a batch of jobs. Run calls report once for every job it
// starts, never from two goroutines at once; once ctx is cancelled it starts
// no more jobs, and the jobs in flight stop early with ctx's error.
type Strategy interface {
	Name() string
	// Bounded reports whether Options.Jobs bounds the strategy's workers.
	Bounded() bool
	Run(ctx context.Context, jobs []job.Job, opt Options, report func(job.Result))
}

// all is the registry, in the order the strategies are listed to users.
var all = []Strategy{Serial{}, Rows{}, Pool{}, Process{}}

// Default is the strategy used when the user names none.
const Default = "pool"

// Names lists the registered strategies.
func Names() []string {
	names := make([]string, len(all))
	for i, s := range all {
		names[i] = s.Name()
	}
	return names
}

// Lookup finds a strategy by name.
func Lookup(name string) (Strategy, error) {
	for _, s := range all {
		if s.Name() == name {
			return s, nil
		}
	}
	return nil, fmt.Errorf("unknown strategy %q (valid: %s)", name, strings.Join(Names(), ", "))
}
