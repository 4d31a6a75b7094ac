package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

type verifyOptions struct {
	streams *IOStreams
	global  *globalFlags
	files   []string
}

func newVerifyCmd(streams *IOStreams, global *globalFlags) *cobra.Command {
	opts := &verifyOptions{streams: streams, global: global}
	return &cobra.Command{
		Use:   "verify [FILE.rle...]",
		Short: "Check .rle files strictly, like gzip -t",
		Long: `Decode each .rle file strictly and say whether it is sound. A malformed file
is reported on stderr with the byte offset of the fault, and the exit status
is then 1. A sound file that is not canonical (two runs of the same value
next to each other in a chunk, which no correct encoder writes) is reported
as such but does not fail. -q prints only the failures. "-", or no file at
all, stands for standard input.`,
		Example: `  rlec verify out/*.rle && echo all sound
  curl -s https://example.com/page.rle | rlec verify`,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			files, err := streams.inputsOrStdin(args)
			if err != nil {
				return err
			}
			opts.files = files
			return runVerify(opts)
		}),
	}
}

func runVerify(opts *verifyOptions) error {
	failed := false
	for _, f := range opts.files {
		st, err := scanFile(f, opts.streams.In)
		switch {
		case err != nil:
			fmt.Fprintf(opts.streams.ErrOut, "rlec: %v\n", err)
			failed = true
		case st.NonCanonical > 0:
			if !opts.global.quiet { // sound, so not a failure: -q says nothing of it
				fmt.Fprintf(opts.streams.ErrOut, "rlec: %s: byte %d: not canonical: %s the run before\n", stdinName(f), st.FirstNonCanonical, runsContinue(st.NonCanonical))
				fmt.Fprintf(opts.streams.Out, "%s: OK (not canonical)\n", stdinName(f))
			}
		case !opts.global.quiet:
			fmt.Fprintf(opts.streams.Out, "%s: OK\n", stdinName(f))
		}
	}
	if failed {
		return errReported
	}
	return nil
}

// runsContinue says how many runs continue the run before them: "1 run
// continues", "3 runs continue".
func runsContinue(n int64) string {
	if n == 1 {
		return "1 run continues"
	}
	return fmt.Sprintf("%d runs continue", n)
}
