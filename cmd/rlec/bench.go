package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
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
		Long: `Compress the given images (and every image in the given folders) with every
strategy, and with several --jobs values where they matter, each run repeated;
.rle files given by name are decompressed. Prints, for each direction, the
median wall time, throughput (of the images, read or written, as zstd -b
counts it) and speedup over serial of each, and checks that every strategy
wrote byte-identical output. Outputs go to a temporary folder that is removed
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

// benchResult is one configuration's measurement. Jobs is 0 for the
// strategies --jobs does not bound.
type benchResult struct {
	Strategy  string        `json:"strategy"`
	Jobs      int           `json:"jobs,omitempty"`
	Median    time.Duration `json:"median_ns"`
	MBPerSec  float64       `json:"mb_per_s"`
	Speedup   float64       `json:"speedup_over_serial"`
	Identical bool          `json:"identical"`
}

// benchConfig is one strategy and job count to measure.
type benchConfig struct {
	strategy strategy.Strategy
	jobs     int // 0 when the strategy takes none
}

func (c benchConfig) String() string {
	if c.jobs == 0 {
		return c.strategy.Name()
	}
	return fmt.Sprintf("%s --jobs %d", c.strategy.Name(), c.jobs)
}

// benchConfigs are the strategy and job counts worth comparing, serial
// first: the registry's order.
func benchConfigs() []benchConfig {
	cpus := runtime.GOMAXPROCS(0) // the CPUs rlec may use: in a container, its quota
	jobs := []int{1, 2, cpus, 2 * cpus}
	slices.Sort(jobs)
	jobs = slices.Compact(jobs)
	var configs []benchConfig
	for _, name := range strategy.Names() {
		s, _ := strategy.Lookup(name)
		if !s.Bounded() {
			configs = append(configs, benchConfig{strategy: s})
			continue
		}
		for _, j := range jobs {
			configs = append(configs, benchConfig{s, j})
		}
	}
	return configs
}

// benchSet is one direction's measurement: its files, each
// configuration's jobs, and the times of their runs.
type benchSet struct {
	op       job.Op
	files    []string
	configs  []benchConfig
	jobLists [][]job.Job
	times    [][]time.Duration
	results  []benchResult
	bytes    int64 // of the images, read or written
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
	var sets []*benchSet
	for _, op := range []job.Op{job.Compress, job.Decompress} {
		set := &benchSet{op: op, configs: benchConfigs()}
		for _, f := range files {
			if (op == job.Decompress) == strings.EqualFold(filepath.Ext(f), ".rle") {
				set.files = append(set.files, f)
			}
		}
		if len(set.files) == 0 {
			continue
		}
		if err := set.prepare(filepath.Join(tmp, op.String())); err != nil {
			return err
		}
		sets = append(sets, set)
	}
	// Every configuration runs once untimed, to warm the caches, and then
	// the configurations take turns, so that a slow moment of the machine
	// slows them alike instead of the one that happened to run then.
	for run := -1; run < opts.runs; run++ {
		for _, set := range sets {
			for i, c := range set.configs {
				d, err := set.run(cmd, opts, c, set.jobLists[i])
				if err != nil {
					return err
				}
				if run >= 0 {
					set.times[i] = append(set.times[i], d)
				}
			}
		}
	}
	var differ []string
	for _, set := range sets {
		if err := set.summarise(); err != nil {
			return err
		}
		for i, r := range set.results {
			if !r.Identical {
				differ = append(differ, fmt.Sprintf("%s (%s)", set.configs[i], set.op))
			}
		}
	}
	if opts.json {
		report := map[string]any{"runs": opts.runs, "identical": len(differ) == 0}
		for _, set := range sets {
			report[set.op.String()] = map[string]any{"files": len(set.files), "bytes": set.bytes, "results": set.results}
		}
		enc := json.NewEncoder(opts.streams.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else {
		for _, set := range sets {
			set.print(opts.streams.Out, opts.runs)
		}
		if len(differ) == 0 {
			fmt.Fprintln(opts.streams.Out, "output: every strategy wrote byte-identical files")
		}
	}
	if len(differ) > 0 {
		return fmt.Errorf("output differs from serial under %s", strings.Join(differ, ", "))
	}
	return nil
}

// prepare lists the jobs of every configuration, into folders below dir.
func (set *benchSet) prepare(dir string) error {
	set.jobLists = make([][]job.Job, len(set.configs))
	set.times = make([][]time.Duration, len(set.configs))
	for i, c := range set.configs {
		outDir := filepath.Join(dir, fmt.Sprintf("%s-%d", c.strategy.Name(), c.jobs))
		if err := os.MkdirAll(outDir, 0o755); err != nil {
			return err
		}
		for k, f := range set.files {
			out := filepath.Join(outDir, fmt.Sprintf("%05d%s", k, batch.OutputExt(set.op, "")))
			set.jobLists[i] = append(set.jobLists[i], job.Job{Op: set.op, In: f, Out: out})
		}
	}
	return nil
}

// run runs one configuration once and returns how long it took.
func (set *benchSet) run(cmd *cobra.Command, opts *benchOptions, c benchConfig, jobs []job.Job) (time.Duration, error) {
	// New files every run: replacing a file costs more (ext4 flushes a
	// file renamed over another), and is not the usual case.
	for _, j := range jobs {
		os.Remove(j.Out)
	}
	rep := &reporter{errOut: opts.streams.ErrOut}
	runtime.GC() // as testing.B does: no configuration collects another's garbage
	start := time.Now()
	err := runBatch(cmd.Context(), opts.streams, c.strategy, jobs, strategy.Options{Jobs: max(c.jobs, 1)}, rep)
	return time.Since(start), err
}

// summarise takes the medians and compares every configuration's outputs
// with serial's, the first.
func (set *benchSet) summarise() error {
	var err error
	if set.bytes, err = bmpBytes(set.jobLists[0]); err != nil {
		return err
	}
	// Outputs are compared by a 64-bit hash, which two different outputs
	// share by chance once in 2^64. crypto/sha256 would cost every start of
	// rlec, bench or not, the init of the crypto packages it links.
	seed := maphash.MakeSeed()
	var reference map[string]uint64 // serial's output digests, by input
	for i, c := range set.configs {
		slices.Sort(set.times[i])
		median := set.times[i][len(set.times[i])/2]
		digests := map[string]uint64{}
		for _, j := range set.jobLists[i] {
			data, err := os.ReadFile(j.Out)
			if err != nil {
				return err
			}
			digests[j.In] = maphash.Bytes(seed, data)
		}
		if reference == nil {
			reference = digests
		}
		set.results = append(set.results, benchResult{Strategy: c.strategy.Name(), Jobs: c.jobs, Median: median,
			MBPerSec:  float64(set.bytes) / 1e6 / median.Seconds(),
			Identical: maps.Equal(digests, reference)})
	}
	for i := range set.results {
		set.results[i].Speedup = float64(set.results[0].Median) / float64(set.results[i].Median)
	}
	return nil
}

// print writes the set's table.
func (set *benchSet) print(w io.Writer, runs int) {
	files := "files"
	if len(set.files) == 1 {
		files = "file"
	}
	fmt.Fprintf(w, "%s: %d %s, %.1f MB of images, median of %d runs\n\n", set.op, len(set.files), files, float64(set.bytes)/1e6, runs)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "strategy\tjobs\tmedian\tMB/s\tspeedup\t")
	for _, r := range set.results {
		jobs := "-"
		if r.Jobs > 0 {
			jobs = strconv.Itoa(r.Jobs)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f\t%.2fx\t\n", r.Strategy, jobs, r.Median.Round(10*time.Microsecond), r.MBPerSec, r.Speedup)
	}
	tw.Flush()
	fmt.Fprintln(w)
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
		listing, err := batch.Batch{Op: job.Compress, InDir: a}.List()
		if err != nil {
			return nil, err
		}
		for _, j := range listing.Jobs {
			files = append(files, j.In)
		}
	}
	if len(files) == 0 {
		return nil, errors.New("no images or .rle files to measure")
	}
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil && !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: not a regular file; bench reads each input many times", f)
		}
	}
	return files, nil
}
