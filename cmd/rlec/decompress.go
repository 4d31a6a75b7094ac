package main

import (
	"github.com/spf13/cobra"

	"github.com/rlec/rlec/internal/strategy"
)

type decompressOptions struct {
	streams  *IOStreams
	strategy strategyFlags
	force    bool
	in, out  string
}

func newDecompressCmd(streams *IOStreams) *cobra.Command {
	opts := &decompressOptions{streams: streams}
	cmd := &cobra.Command{
		Use:   "decompress IN.rle [OUT.bmp]",
		Short: "Decompress a .rle file to a 1-bit BMP",
		Long: `Decompress a .rle file to a 1-bit BMP (BITMAPINFOHEADER, palette black then
white, bottom-up rows). The input is read strictly: a malformed file is
refused with the byte offset of the fault. OUT defaults to IN with the
extension .bmp; "-" stands for standard input or output.`,
		Example: `  rlec decompress page.rle back.bmp --strategy serial
  rlec decompress - - < page.rle > page.bmp`,
		Args: cobra.RangeArgs(1, 2),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			opts.in, opts.out = args[0], outputName(args[0], ".rle", ".bmp")
			if len(args) == 2 {
				opts.out = args[1]
			}
			return runDecompress(cmd, opts)
		}),
	}
	opts.strategy.register(cmd)
	cmd.Flags().BoolVarP(&opts.force, "force", "f", false, "replace an existing output; write to a terminal")
	return cmd
}

func runDecompress(cmd *cobra.Command, opts *decompressOptions) error {
	s, err := opts.strategy.resolve()
	if err != nil {
		return err
	}
	job := strategy.Job{Op: strategy.Decompress, In: opts.in, Out: opts.out}
	return runOne(cmd.Context(), opts.streams, s, job, strategy.Options{Jobs: opts.strategy.jobs, Force: opts.force})
}
