package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/rle"
)

type infoOptions struct {
	streams *IOStreams
	files   []string
	json    bool
}

func newInfoCmd(streams *IOStreams) *cobra.Command {
	opts := &infoOptions{streams: streams}
	cmd := &cobra.Command{
		Use:   "info [FILE.rle...]",
		Short: "Describe .rle files",
		Long: `Print each .rle file's width, height, pixels, size in bytes, size relative to
the packed 1-bit image, and its numbers of runs and chunks. A malformed file
is reported with the byte offset of the fault, and the exit status is 1. "-",
or no file at all, stands for standard input.`,
		Example: `  rlec info page.rle
  rlec info --json out/*.rle | jq '.[] | select(.ratio > 0.5) | .file'`,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			files, err := streams.inputsOrStdin(args)
			if err != nil {
				return err
			}
			opts.files = files
			return runInfo(opts)
		}),
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print a JSON array with an object per file")
	return cmd
}

// fileInfo is what info says of one file.
type fileInfo struct {
	File         string  `json:"file"`
	Width        int     `json:"width"`
	Height       int     `json:"height"`
	Pixels       int64   `json:"pixels"`
	Bytes        int64   `json:"bytes"`
	PackedBytes  int64   `json:"packed_bytes"`
	Ratio        float64 `json:"ratio"` // bytes / packed_bytes
	Runs         int64   `json:"runs"`
	Chunks       int64   `json:"chunks"`
	NonCanonical int64   `json:"non_canonical_runs"`
}

// scanFile reads and strictly checks one .rle file, or stdin for "-". A
// stream is read no farther than its header allows (rle.Bound).
func scanFile(path string, stdin io.Reader) (rle.Stats, error) {
	fail := func(err error) (rle.Stats, error) {
		return rle.Stats{}, fmt.Errorf("%s: %w", stdinName(path), fileio.UnwrapPath(err))
	}
	in, err := fileio.OpenInput(path, stdin)
	if err != nil {
		return fail(err)
	}
	defer in.Close()
	data, release, err := in.Bytes(func(n int64) []byte { return make([]byte, n) }, new(rle.Bound))
	if err != nil {
		return fail(err)
	}
	defer release()
	var st rle.Stats
	err = fileio.GuardFaults(data, func() (err error) {
		if st, err = rle.Scan(data); err != nil {
			err = rle.WithHint(err, codec.Hint(data)) // data may be mapped: read here, guarded
		}
		return err
	})
	if err != nil {
		return fail(err)
	}
	return st, nil
}

// stdinName is how messages name an input: "-" is "stdin".
func stdinName(path string) string { return fileio.Name(path, "stdin") }

func runInfo(opts *infoOptions) error {
	infos := []fileInfo{}
	failed := false
	for _, f := range opts.files {
		st, err := scanFile(f, opts.streams.In)
		if err != nil {
			fmt.Fprintf(opts.streams.ErrOut, "rlec: %v\n", err)
			failed = true
			continue
		}
		packed := bitmap.PackedSize(st.Width, st.Height)
		info := fileInfo{File: stdinName(f), Width: st.Width, Height: st.Height, Pixels: int64(st.Width) * int64(st.Height),
			Bytes: st.Bytes, PackedBytes: packed, Runs: st.Runs, Chunks: st.Chunks, NonCanonical: st.NonCanonical}
		if packed > 0 {
			info.Ratio = float64(st.Bytes) / float64(packed)
		}
		infos = append(infos, info)
	}
	if opts.json {
		enc := json.NewEncoder(opts.streams.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(infos); err != nil {
			return err
		}
	} else if len(infos) > 0 {
		tw := tabwriter.NewWriter(opts.streams.Out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "width\theight\tpixels\tbytes\tof packed\truns\tchunks\tfile")
		for _, i := range infos {
			fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%.1f%%\t%d\t%d\t%s\n", i.Width, i.Height, i.Pixels, i.Bytes, 100*i.Ratio, i.Runs, i.Chunks, i.File)
		}
		tw.Flush()
	}
	if failed {
		return errReported
	}
	return nil
}
