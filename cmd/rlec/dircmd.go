package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/rlec/rlec/internal/batch"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/strategy"
)

// dirOptions are the flags of compress-dir and decompress-dir.
type dirOptions struct {
	streams      *IOStreams
	global       *globalFlags
	op           job.Op
	strategy     strategyFlags
	write        writeFlags
	force        bool
	recursive    bool
	skipExisting bool
	filesFrom    string
	null         bool
	shard        string
	progress     string
	json         bool

	inDir, outDir string
}

func newDirCmd(streams *IOStreams, global *globalFlags, op job.Op) *cobra.Command {
	opts := &dirOptions{streams: streams, global: global, op: op}
	exts, out := batch.InputExts(op), batch.OutputExt(op, "")
	in := exts[0]
	what, example, format := "image", "page.png and page.TIF", ""
	if op == job.Decompress {
		what, example = "*.rle", "page.rle and page.RLE"
		format = "\n--format writes PBM, PNG or TIFF instead of BMP, with that extension.\n"
	}
	cmd := &cobra.Command{
		Use:   op.String() + "-dir IN_DIR OUT_DIR",
		Short: fmt.Sprintf("%s every %s file in a folder", capitalize(op.String()), what),
		Long: fmt.Sprintf(`%s every file named *%s (any letter case; links to files
followed) directly inside IN_DIR, or below it with -r, to OUT_DIR/NAME%s,
mirroring subfolders. OUT_DIR is created. A file that fails is reported and
the others are still written; the exit status is then 1. Files that would
make the same output (%s) all fail, as does a file whose output another is
read from.
%s
--files-from takes the inputs from a list instead, one path per line (NUL-
separated with -0), as find prints them: relative to the working folder or
absolute, each inside IN_DIR. --shard K/N processes only the K-th
of N parts (0 <= K < N), split by each file's path relative to IN_DIR, so
that N workers, on one machine or many, together write exactly what one run
writes, each file once. --skip-existing leaves alone every output that is
not older than its input, so that a batch resumes after a crash without
redoing work.`, capitalize(op.String()), strings.Join(exts, ", *"), out, example, format),
		Example: fmt.Sprintf(`  rlec %[1]s-dir -r in/ out/ --strategy pool --jobs 8
  find in -name '*%[2]s' -newer stamp -print0 | rlec %[1]s-dir --files-from - -0 in/ out/
  rlec %[1]s-dir --shard "$JOB_COMPLETION_INDEX/16" --skip-existing in/ out/`, op, in),
		Args: cobra.ExactArgs(2),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			opts.inDir, opts.outDir = args[0], args[1]
			return runDir(cmd, opts)
		}),
	}
	opts.strategy.register(cmd)
	if op == job.Decompress {
		opts.write.register(cmd)
	}
	f := cmd.Flags()
	f.BoolVarP(&opts.force, "force", "f", false, "replace existing outputs")
	f.BoolVarP(&opts.recursive, "recursive", "r", false, "walk subfolders and mirror them under OUT_DIR")
	f.BoolVar(&opts.skipExisting, "skip-existing", false, "leave alone outputs not older than their inputs")
	f.StringVar(&opts.filesFrom, "files-from", "", "read the inputs from this list (- for standard input), relative to IN_DIR")
	f.BoolVarP(&opts.null, "null", "0", false, "the --files-from list is NUL-separated")
	f.StringVar(&opts.shard, "shard", "", "process only part K of N (K/N, 0 <= K < N)")
	f.StringVar(&opts.progress, "progress", progressAuto, "progress bar on stderr: auto (on a terminal), always or never")
	f.BoolVar(&opts.json, "json", false, "print a summary as JSON on stdout")
	return cmd
}

func capitalize(s string) string { return string(s[0]-'a'+'A') + s[1:] }

func runDir(cmd *cobra.Command, opts *dirOptions) error {
	s, err := opts.strategy.resolve()
	if err != nil {
		return err
	}
	k, n := 0, 1
	if opts.shard != "" {
		if k, n, err = batch.ParseShard(opts.shard); err != nil {
			return usagef("--shard %v", err)
		}
	}
	if opts.null && opts.filesFrom == "" {
		return usagef("-0 goes with --files-from")
	}
	spec := batch.Batch{Op: opts.op, InDir: opts.inDir, OutDir: opts.outDir, Recursive: opts.recursive}
	var write codec.WriteOptions
	if opts.op == job.Decompress {
		if spec.Format, write, err = opts.write.resolve(""); err != nil {
			return err
		}
	}
	if opts.filesFrom != "" {
		if spec.Files, err = batch.ReadList(opts.filesFrom, opts.streams.In, opts.null); err != nil {
			return err
		}
	}
	listing, err := spec.List()
	if err != nil {
		return err
	}
	all := listing.Jobs
	jobs := batch.Shard(all, opts.inDir, k, n)
	refused := batch.Refused(all, jobs)
	var failed []job.Result // refused jobs, unreadable folders, files listed outside IN_DIR
	for _, f := range listing.Failed {
		if batch.ShardOf(f.Rel, n) == k {
			failed = append(failed, job.Result{Job: job.Job{Op: opts.op, In: f.Err.Path}, Err: f.Err})
		}
	}
	jobs = slices.DeleteFunc(jobs, func(j job.Job) bool {
		err, ok := refused[j]
		if ok {
			failed = append(failed, job.Result{Job: j, Err: &job.FileError{Path: j.In, Err: err}})
		}
		return ok
	})
	if len(all) == 0 && len(listing.Failed) == 0 && spec.Files == nil && !opts.global.quiet {
		fmt.Fprintf(opts.streams.ErrOut, "rlec: %s: no files to %s (named *%s)\n", opts.inDir, opts.op, strings.Join(batch.InputExts(opts.op), ", *"))
	}
	force, skipped := opts.force, 0
	if opts.skipExisting {
		jobs, skipped = batch.SkipFresh(jobs)
		force = true // what is left is missing or older than its input
	}
	// A batch stops cleanly on a signal: it finishes its report and leaves
	// every output it wrote. Its messages going unread does not stop it.
	opts.streams.armSignals()
	if opts.streams.KeepOnBrokenPipe != nil {
		opts.streams.KeepOnBrokenPipe()
	}
	if err := batch.MakeParents(opts.outDir, jobs); err != nil {
		return err
	}
	shown := slices.Clone(jobs)
	for _, r := range failed {
		shown = append(shown, r.Job)
	}
	rep, err := newReporter(opts.streams, shown, opts.progress, opts.global.quiet)
	if err != nil {
		return err
	}
	rep.sum.Skipped = skipped
	for _, r := range failed {
		rep.result(r, false)
	}
	err = runBatch(cmd.Context(), opts.streams, s, jobs, strategy.Options{Jobs: opts.strategy.jobs, Force: force, Write: write}, rep)
	if ferr := rep.finish(opts.streams.Out, opts.global.quiet, opts.json); err == nil {
		err = ferr
		if errors.Is(err, syscall.EPIPE) { // the reader of --json went away
			err = errBrokenPipe
		}
	}
	return err
}
