package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rlec/rlec/internal/batch"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/strategy"
)

// fileOptions are the flags and arguments of compress and decompress.
type fileOptions struct {
	streams  *IOStreams
	op       job.Op
	strategy strategyFlags
	write    writeFlags
	force    bool
	in, out  string
}

// newFileCmd makes compress or decompress: one file in, one file out.
func newFileCmd(streams *IOStreams, op job.Op) *cobra.Command {
	opts := &fileOptions{streams: streams, op: op}
	cmd := &cobra.Command{
		Use:   "compress [IN [OUT.rle]]",
		Short: "Compress an image to .rle",
		Long: fmt.Sprintf(`Compress an image to .rle. rlec reads %s, recognised by their content,
and makes them black and white exactly as the reference tool does it. OUT
defaults to IN with the extension .rle; "-" stands for standard input or
output. With neither, rlec reads standard input and writes standard output,
as gzip does.`, codec.Names()),
		Example: `  rlec compress page.bmp page.rle --strategy pool
  rlec compress page.bmp
  scan | rlec compress > page.rle`,
	}
	if op == job.Decompress {
		cmd.Use = "decompress [IN.rle [OUT]]"
		cmd.Short = "Decompress a .rle file to a BMP, PBM, PNG or TIFF image"
		cmd.Long = fmt.Sprintf(`Decompress a .rle file to a 1-bit image, in the format OUT's extension names
(%s), or --format says; BMP by default. The input is read strictly: a
malformed file is refused with the byte offset of the fault. OUT defaults to
IN with the format's extension; "-" stands for standard input or output.
With neither, rlec reads standard input and writes standard output, as
gzip -d does.`, writeExts())
		cmd.Example = `  rlec decompress page.rle back.bmp --strategy serial
  rlec decompress page.rle page.tif --dpi 300
  rlec decompress < page.rle > page.bmp
  rlec decompress --format png < page.rle | display`
		opts.write.register(cmd)
	}
	cmd.Args = cobra.RangeArgs(0, 2)
	cmd.RunE = runE(func(cmd *cobra.Command, args []string) error {
		args, err := streams.inputsOrStdin(args)
		if err != nil {
			return err
		}
		opts.in, opts.out = args[0], fileio.Stdio
		if len(args) == 2 {
			opts.out = args[1]
		} else if args[0] != fileio.Stdio {
			opts.out = "" // named below, once the format is known
		}
		return runFile(cmd, opts)
	})
	opts.strategy.register(cmd)
	cmd.Flags().BoolVarP(&opts.force, "force", "f", false, "replace an existing output; write to a terminal")
	return cmd
}

func runFile(cmd *cobra.Command, opts *fileOptions) error {
	s, err := opts.strategy.resolve()
	if err != nil {
		return err
	}
	j := job.Job{Op: opts.op, In: opts.in, Out: opts.out}
	var write codec.WriteOptions
	if opts.op == job.Decompress {
		if j.Format, write, err = opts.write.resolve(j.Out); err != nil {
			return err
		}
	} else if namedAsImage(j.Out) {
		return usagef("%s: named as an image, but rlec compress writes .rle files", j.Out)
	}
	if j.Out == "" {
		j.Out = batch.OutputName(opts.op, j.In, j.Format)
	}
	return runOne(cmd.Context(), opts.streams, s, j, strategy.Options{Jobs: opts.strategy.jobs, Force: opts.force, Write: write})
}
