package main

import (
	"context"
	"errors"

	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/strategy"
)

// globalFlags are the flags every command takes.
type globalFlags struct {
	quiet bool
}

// runBatch runs jobs through s, handing every result to rep. It returns
// errReported when any job failed, errBrokenPipe when that was because its
// standard output went away, and an error saying so when the batch was
// interrupted.
func runBatch(ctx context.Context, streams *IOStreams, s strategy.Strategy, jobs []job.Job, opt strategy.Options, rep *reporter) error {
	opt.Stdin, opt.Stdout, opt.Command = streams.In, streams.Out, selfCommand
	s.Run(ctx, jobs, opt, func(r job.Result) { rep.result(r, ctx.Err() != nil) })
	if ctx.Err() != nil {
		return errors.New("interrupted")
	}
	if rep.brokenPipe {
		return errBrokenPipe
	}
	if rep.sum.Failed > 0 {
		return errReported
	}
	return nil
}

// runOne converts a single file, refusing what gzip refuses.
func runOne(ctx context.Context, streams *IOStreams, s strategy.Strategy, j job.Job, opt strategy.Options) error {
	if j.Out == fileio.Stdio && streams.OutIsTerminal && !opt.Force {
		return fileio.ErrTerminal
	}
	// The signal handlers are installed only if the job needs them: an
	// unnamed output needs none.
	opt.Guard = streams.ArmSignals
	return runBatch(ctx, streams, s, []job.Job{j}, opt, &reporter{errOut: streams.ErrOut})
}
