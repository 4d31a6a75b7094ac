package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rlec/rlec/internal/strategy"
)

type compressDirOptions struct {
	streams       *IOStreams
	strategy      strategyFlags
	force         bool
	inDir, outDir string
}

func newCompressDirCmd(streams *IOStreams) *cobra.Command {
	opts := &compressDirOptions{streams: streams}
	cmd := &cobra.Command{
		Use:   "compress-dir IN_DIR OUT_DIR",
		Short: "Compress every BMP in a folder",
		Long: `Compress every *.bmp (any letter case; links to files followed) directly
inside IN_DIR to OUT_DIR/NAME.rle. OUT_DIR is created. A file that fails is
reported and the others are still written; the exit status is then 1.`,
		Example: `  rlec compress-dir scans/ rle/ --strategy pool --jobs 4`,
		Args:    cobra.ExactArgs(2),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			opts.inDir, opts.outDir = args[0], args[1]
			return runCompressDir(cmd, opts)
		}),
	}
	opts.strategy.register(cmd)
	cmd.Flags().BoolVarP(&opts.force, "force", "f", false, "replace existing outputs")
	return cmd
}

func runCompressDir(cmd *cobra.Command, opts *compressDirOptions) error {
	s, err := opts.strategy.resolve()
	if err != nil {
		return err
	}
	jobs, err := dirJobs(strategy.Compress, opts.inDir, opts.outDir, ".bmp", ".rle")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(opts.outDir, 0o755); err != nil {
		return err
	}
	_, err = runBatch(cmd.Context(), opts.streams, s, jobs, strategy.Options{Jobs: opts.strategy.jobs, Force: opts.force})
	return err
}

// dirJobs lists a job for every file directly in inDir whose extension is
// from (any case), following links; its output is outDir/NAME+to.
func dirJobs(op strategy.Op, inDir, outDir, from, to string) ([]strategy.Job, error) {
	entries, err := os.ReadDir(inDir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", inDir, unwrapPathError(err))
	}
	var jobs []strategy.Job
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		if !strings.EqualFold(ext, from) || strategy.IsTemp(name) {
			continue
		}
		in := filepath.Join(inDir, name)
		if fi, err := os.Stat(in); err == nil && fi.IsDir() {
			continue // a broken link is kept, to fail with its own message
		}
		jobs = append(jobs, strategy.Job{Op: op, In: in, Out: filepath.Join(outDir, strings.TrimSuffix(name, ext)+to)})
	}
	return jobs, nil
}
