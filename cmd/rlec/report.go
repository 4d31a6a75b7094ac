package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/job"
)

// summary adds up the results of a batch.
type summary struct {
	Files    int     `json:"files"`
	Failed   int     `json:"failed"`
	Skipped  int     `json:"skipped"`
	BytesIn  int64   `json:"bytes_in"`
	BytesOut int64   `json:"bytes_out"`
	Seconds  float64 `json:"seconds"`
}

func (s *summary) add(r job.Result) {
	s.Files++
	if r.Err != nil {
		s.Failed++
		return
	}
	s.BytesIn += r.InBytes
	s.BytesOut += r.OutBytes
}

// line is the one-line account printed at the end of a batch.
func (s summary) line() string {
	ratio := ""
	if s.BytesIn > 0 {
		ratio = fmt.Sprintf(" (%.1f%%)", 100*float64(s.BytesOut)/float64(s.BytesIn))
	}
	files := "files"
	if s.Files == 1 {
		files = "file"
	}
	line := fmt.Sprintf("%d %s, %s in, %s out%s, %.2fs", s.Files, files, humanBytes(s.BytesIn), humanBytes(s.BytesOut), ratio, s.Seconds)
	if s.Skipped > 0 {
		line += fmt.Sprintf(", %d skipped", s.Skipped)
	}
	if s.Failed > 0 {
		line += fmt.Sprintf(", %d failed", s.Failed)
	}
	return line
}

// humanBytes writes a size in decimal units, as ls -h --si and zstd do.
func humanBytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1e6:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1e9:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.2f GB", float64(n)/1e9)
}

// reporter follows a batch: it prints each failure as it comes, shows a
// progress bar when asked to, and sums the batch up at the end.
type reporter struct {
	stderr io.Writer
	errOut io.Writer        // where failures go: stderr, or above the bar
	bar    *progressLine    // nil when no bar is shown
	sizes  map[string]int64 // input sizes, for the bar
	sum    summary
	start  time.Time
	// brokenPipe: a job's standard output went away. The runtime ends rlec
	// with SIGPIPE, silently, when that happens to the process's own
	// standard output in-process; a child process dies of it the same way,
	// and rlec, told so, ends as quietly.
	brokenPipe bool
	// existed counts the outputs refused because they exist, which a
	// rerun of a batch meets.
	existed int
}

// existed says how many outputs exist already.
func existed(n int) string {
	if n == 1 {
		return "1 output exists already"
	}
	return fmt.Sprintf("%d outputs exist already", n)
}

// Progress modes.
const (
	progressAuto   = "auto"
	progressAlways = "always"
	progressNever  = "never"
)

func newReporter(streams *IOStreams, jobs []job.Job, progress string, quiet bool) (*reporter, error) {
	r := &reporter{stderr: streams.ErrOut, errOut: streams.ErrOut, start: time.Now()}
	show := false
	switch progress {
	case progressAuto:
		show = streams.ErrIsTerminal && !quiet
	case progressAlways:
		show = !quiet
	case progressNever:
	default:
		return nil, usagef("--progress must be auto, always or never, not %q", progress)
	}
	if show && len(jobs) > 0 {
		r.sizes = make(map[string]int64, len(jobs))
		var total int64
		for _, j := range jobs {
			if fi, err := os.Stat(j.In); err == nil {
				r.sizes[j.In] = fi.Size()
				total += fi.Size()
			}
		}
		r.bar = newProgressLine(streams.ErrOut, len(jobs), total, progressRefresh)
		r.errOut = r.bar // failures are printed above the bar
	}
	return r, nil
}

// result takes one job's outcome; quietErr hides the failures that an
// interrupt caused. A job whose standard output was closed by its reader is
// not reported either: it sets brokenPipe instead.
func (r *reporter) result(res job.Result, quietErr bool) {
	r.sum.add(res)
	if errors.Is(res.Err, fileio.ErrExists) {
		r.existed++
	}
	switch {
	case res.Err == nil || quietErr:
	case res.Out == fileio.Stdio && errors.Is(res.Err, syscall.EPIPE):
		r.brokenPipe = true
	default:
		fmt.Fprintf(r.errOut, "rlec: %v\n", res.Err)
	}
	if r.bar != nil {
		r.bar.add(r.sizes[res.In])
	}
}

// finish ends the bar and prints the summary: a line on stderr unless
// quiet, and JSON on out when asked.
func (r *reporter) finish(out io.Writer, quiet, asJSON bool) error {
	r.sum.Seconds = time.Since(r.start).Seconds()
	if r.bar != nil {
		r.bar.finish() // gone, whether the batch finished or not
	}
	if !quiet {
		fmt.Fprintf(r.stderr, "rlec: %s\n", r.sum.line())
		if r.existed > 0 {
			fmt.Fprintf(r.stderr, "rlec: %s: --skip-existing leaves them and does the rest, -f replaces them\n", existed(r.existed))
		}
	}
	if asJSON {
		return json.NewEncoder(out).Encode(r.sum)
	}
	return nil
}
