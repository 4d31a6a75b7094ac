package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/rlec/rlec/internal/strategy"
)

// globalFlags are the flags every command takes.
type globalFlags struct {
	quiet bool
}

// summary adds up the results of a batch.
type summary struct {
	files, failed     int
	inBytes, outBytes int64
}

func (s *summary) add(r strategy.Result) {
	s.files++
	if r.Err != nil {
		s.failed++
		return
	}
	s.inBytes += r.InBytes
	s.outBytes += r.OutBytes
}

// runBatch runs jobs through s, printing each failure as it comes. It
// returns errReported when any job failed, and the context's error when the
// batch was interrupted.
func runBatch(ctx context.Context, streams *IOStreams, s strategy.Strategy, jobs []strategy.Job, opt strategy.Options) (summary, error) {
	opt.Stdin, opt.Stdout, opt.Command = streams.In, streams.Out, selfCommand
	var sum summary
	s.Run(ctx, jobs, opt, func(r strategy.Result) {
		sum.add(r)
		if r.Err != nil && ctx.Err() == nil {
			fmt.Fprintf(streams.ErrOut, "rlec: %v\n", r.Err)
		}
	})
	if err := ctx.Err(); err != nil {
		return sum, errors.New("interrupted")
	}
	if sum.failed > 0 {
		return sum, errReported
	}
	return sum, nil
}

// runOne converts a single file, refusing what gzip refuses.
func runOne(ctx context.Context, streams *IOStreams, s strategy.Strategy, job strategy.Job, opt strategy.Options) error {
	if job.Out == strategy.Stdio && streams.OutIsTerminal && !opt.Force {
		return errors.New("refusing to write binary data to a terminal (use -f to force)")
	}
	if job.In != strategy.Stdio && job.In == job.Out {
		return fmt.Errorf("%s: input and output are the same file", job.In)
	}
	_, err := runBatch(ctx, streams, s, []strategy.Job{job}, opt)
	return err
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
