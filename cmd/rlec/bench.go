package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rlec/rlec/internal/batch"
	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/strategy"
)

type benchOptions struct {
	streams *IOStreams
	inputs  []string
	runs    int
	json    bool
}

func newBenchCmd(streams *IOStreams) *cobra.Command {
	opts := &benchOptions{streams: streams}
	cmd := &cobra.Command{
		Use:   "bench INPUT...",
		Short: "Compare the strategies on your own images",
		Long: `Compress the given BMP files (and every *.bmp in the given folders) with every
strategy, and with several --jobs values where they matter, each run repeated;
.rle files given by name are decompressed. Prints the median wall time,
throughput (of the BMP images, read or written, as zstd -b counts it) and
speedup over serial of each, and checks that every strategy wrote
byte-identical output. Outputs go to a temporary folder that is removed
afterwards; each run writes new files, as in ordinary use.`,
		Example: `  rlec bench scans/
  rlec bench page.bmp --runs 10 --json
  rlec bench page.rle`,
		Args: cobra.MinimumNArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			opts.inputs = args
			return runBench(cmd, opts)
		}),
	}
	cmd.Flags().IntVarP(&opts.runs, "runs", "n", 5, "times each configuration is run")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the results as JSON")
	return cmd
}

// benchResult is one configuration's measurement.
type benchResult struct {
	Strategy  string        `json:"strategy"`
	Jobs      int           `json:"jobs"`
	Median    time.Duration `json:"median_ns"`
	MBPerSec  float64       `json:"mb_per_s"`
	Speedup   float64       `json:"speedup_over_serial"`
	Identical bool          `json:"identical"`
}

// benchConfig is one strategy and job count to measure.
type benchConfig struct {
	strategy string
	jobs     int
}

// benchConfigs are the strategy and job counts worth comparing, serial first.
func benchConfigs() []benchConfig {
	cpus := runtime.GOMAXPROCS(0) // the CPUs rlec may use: in a container, its quota
	jobs := []int{1, 2, cpus, 2 * cpus}
	slices.Sort(jobs)
	jobs = slices.Compact(jobs)
	configs := []benchConfig{{"serial", 1}, {"rows", 1}}
	for _, name := range []string{"pool", "process"} {
		for _, j := range jobs {
			configs = append(configs, benchConfig{name, j})
		}
	}
	return configs
}

func runBench(cmd *cobra.Command, opts *benchOptions) error {
	if opts.runs < 1 {
		return usagef("--runs must be at least 1, not %d", opts.runs)
	}
	files, err := benchInputs(opts.inputs)
	if err != nil {
		return err
	}
	opts.streams.armSignals() // so that an interrupt removes tmp
	tmp, err := os.MkdirTemp("", "rlec-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	// Every configuration runs once untimed, to warm the caches, and then
	// the configurations take turns, so that a slow moment of the machine
	// slows them alike instead of the one that happened to run then.
	configs := benchConfigs()
	jobLists := make([][]job.Job, len(configs))
	times := make([][]time.Duration, len(configs))
	for i, c := range configs {
		outDir := filepath.Join(tmp, fmt.Sprintf("%s-%d", c.strategy, c.jobs))
		if err := os.Mkdir(outDir, 0o755); err != nil {
			return err
		}
		for k, f := range files {
			op, ext := job.Compress, ".rle"
			if strings.EqualFold(filepath.Ext(f), ".rle") {
				op, ext = job.Decompress, ".bmp"
			}
			jobLists[i] = append(jobLists[i], job.Job{Op: op, In: f, Out: filepath.Join(outDir, fmt.Sprintf("%05d%s", k, ext))})
		}
	}
	for run := -1; run < opts.runs; run++ {
		for i, c := range configs {
			// New files every run: replacing a file costs more (ext4
			// flushes a file renamed over another), and is not the usual case.
			for _, j := range jobLists[i] {
				os.Remove(j.Out)
			}
			s, _ := strategy.Lookup(c.strategy)
			rep := &reporter{errOut: opts.streams.ErrOut}
			runtime.GC() // as testing.B does: no configuration collects another's garbage
			start := time.Now()
			if err := runBatch(cmd.Context(), opts.streams, s, jobLists[i], strategy.Options{Jobs: c.jobs}, rep); err != nil {
				return err
			}
			if run >= 0 {
				times[i] = append(times[i], time.Since(start))
			}
		}
	}
	totalBytes, err := bmpBytes(jobLists[0])
	if err != nil {
		return err
	}
	var results []benchResult
	// Outputs are compared by a 64-bit hash, which two different outputs
	// share by chance once in 2^64. crypto/sha256 would cost every start of
	// rlec, bench or not, the init of the crypto packages it links.
	seed := maphash.MakeSeed()
	var reference map[string]uint64 // serial's output digests, by input
	for i, c := range configs {
		slices.Sort(times[i])
		median := times[i][len(times[i])/2]
		digests := map[string]uint64{}
		for _, j := range jobLists[i] {
			data, err := os.ReadFile(j.Out)
			if err != nil {
				return err
			}
			digests[j.In] = maphash.Bytes(seed, data)
		}
		if reference == nil {
			reference = digests
		}
		results = append(results, benchResult{Strategy: c.strategy, Jobs: c.jobs, Median: median,
			MBPerSec:  float64(totalBytes) / 1e6 / median.Seconds(),
			Identical: maps.Equal(digests, reference)})
	}
	for i := range results { // the first configuration is serial, the baseline
		results[i].Speedup = float64(results[0].Median) / float64(results[i].Median)
	}
	allSame := true
	for _, r := range results {
		allSame = allSame && r.Identical
	}
	if opts.json {
		enc := json.NewEncoder(opts.streams.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"files": len(files), "bytes": totalBytes, "runs": opts.runs, "identical": allSame, "results": results}); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(opts.streams.Out, "%d files, %.1f MB, median of %d runs\n\n", len(files), float64(totalBytes)/1e6, opts.runs)
		tw := tabwriter.NewWriter(opts.streams.Out, 0, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "strategy\tjobs\tmedian\tMB/s\tspeedup\t")
		for _, r := range results {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%.0f\t%.2fx\t\n", r.Strategy, r.Jobs, r.Median.Round(10*time.Microsecond), r.MBPerSec, r.Speedup)
		}
		tw.Flush()
		fmt.Fprintln(opts.streams.Out)
		if allSame {
			fmt.Fprintln(opts.streams.Out, "output: every strategy wrote byte-identical files")
		}
	}
	if !allSame {
		var differ []string
		for _, r := range results {
			if !r.Identical {
				differ = append(differ, fmt.Sprintf("%s --jobs %d", r.Strategy, r.Jobs))
			}
		}
		return fmt.Errorf("output differs from serial under %s", strings.Join(differ, ", "))
	}
	return nil
}

// bmpBytes is the size of the BMP side of jobs that have run: the input
// compressing, the output decompressing. Throughput is counted against the
// uncompressed image both ways, as zstd -b counts it, so that compressing
// and decompressing the same page read alike.
func bmpBytes(jobs []job.Job) (int64, error) {
	var n int64
	for _, j := range jobs {
		path := j.In
		if j.Op == job.Decompress {
			path = j.Out
		}
		fi, err := os.Stat(path)
		if err != nil {
			return 0, err
		}
		n += fi.Size()
	}
	return n, nil
}

// benchInputs expands folders into the BMP files directly inside them. Each
// must be a regular file, since every configuration reads it again: a named
// pipe would be read once, or hold up the run until something wrote to it.
func benchInputs(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a, fileio.UnwrapPath(err))
		}
		if !fi.IsDir() {
			files = append(files, a)
			continue
		}
		jobs, err := batch.Batch{Op: job.Compress, InDir: a}.Jobs()
		if err != nil {
			return nil, err
		}
		for _, j := range jobs {
			files = append(files, j.In)
		}
	}
	if len(files) == 0 {
		return nil, errors.New("no BMP or .rle files to measure")
	}
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: not a regular file; bench reads each input many times", f)
		}
	}
	return files, nil
}
