package main

import (
	"github.com/spf13/cobra"

	"github.com/rlec/rlec/internal/strategy"
)

type compressOptions struct {
	streams  *IOStreams
	strategy strategyFlags
	force    bool
	in, out  string
}

func newCompressCmd(streams *IOStreams) *cobra.Command {
	opts := &compressOptions{streams: streams}
	cmd := &cobra.Command{
		Use:   "compress IN.bmp [OUT.rle]",
		Short: "Compress a BMP image to .rle",
		Long: `Compress a BMP image to .rle. Any BMP is made black and white exactly as the
reference tool does it. OUT defaults to IN with the extension .rle; "-" stands
for standard input or output.`,
		Example: `  rlec compress page.bmp page.rle --strategy pool
  rlec compress page.bmp
  scan | rlec compress - - > page.rle`,
		Args: cobra.RangeArgs(1, 2),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			opts.in, opts.out = args[0], outputName(args[0], ".bmp", ".rle")
			if len(args) == 2 {
				opts.out = args[1]
			}
			return runCompress(cmd, opts)
		}),
	}
	opts.strategy.register(cmd)
	cmd.Flags().BoolVarP(&opts.force, "force", "f", false, "replace an existing output; write to a terminal")
	return cmd
}

func runCompress(cmd *cobra.Command, opts *compressOptions) error {
	s, err := opts.strategy.resolve()
	if err != nil {
		return err
	}
	job := strategy.Job{Op: strategy.Compress, In: opts.in, Out: opts.out}
	return runOne(cmd.Context(), opts.streams, s, job, strategy.Options{Jobs: opts.strategy.jobs, Force: opts.force})
}
