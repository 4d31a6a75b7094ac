package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

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
func runBatch(ctx context.Context, streams *IOStreams, s strategy.Strategy, jobs []strategy.Job, opt strategy.Options, rep *reporter) error {
	opt.Stdin, opt.Stdout, opt.Command = streams.In, streams.Out, selfCommand
	s.Run(ctx, jobs, opt, func(r strategy.Result) { rep.result(r, ctx.Err() != nil) })
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
func runOne(ctx context.Context, streams *IOStreams, s strategy.Strategy, job strategy.Job, opt strategy.Options) error {
	if job.Out == strategy.Stdio && streams.OutIsTerminal && !opt.Force {
		return strategy.ErrTerminal
	}
	// The signal handlers are installed only if the job needs them: an
	// unnamed output needs none.
	opt.Guard = streams.ArmSignals
	return runBatch(ctx, streams, s, []strategy.Job{job}, opt, &reporter{errOut: streams.ErrOut})
}

// outputName is the output a single-file command writes when none is named:
// the input with its extension replaced, as gzip and zstd name theirs.
func outputName(in, from, to string) string {
	if in == strategy.Stdio {
		return strategy.Stdio
	}
	ext := filepath.Ext(in)
	if strings.EqualFold(ext, from) {
		return strings.TrimSuffix(in, ext) + to
	}
	return in + to
}
