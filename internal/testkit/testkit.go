// Package testkit holds what tests of several packages share: listing a
// folder, and letting a test binary stand in for rlec when a test starts it
// as a child process. It is imported by tests only.
package testkit

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// ListDir returns the names in dir, temporary files included.
func ListDir(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// childEnv marks a test binary started as a child by Command.
const childEnv = "RLEC_TEST_CHILD"

// RunAsChild runs child with the command line's arguments and exits with
// its status when this test binary was started by Command; otherwise it
// returns, and TestMain goes on to run the tests. A child started by
// CommandPeak writes its peak memory where the parent reads it.
func RunAsChild(child func(args []string) int) {
	if os.Getenv(childEnv) != "1" {
		return
	}
	code := child(os.Args[1:])
	if path := os.Getenv(peakEnv); path != "" {
		os.WriteFile(path, []byte(strconv.FormatInt(peakRSS(), 10)), 0o644)
	}
	os.Exit(code)
}

// peakEnv names the file a child started by CommandPeak writes its peak
// memory to.
const peakEnv = "RLEC_TEST_PEAK_FILE"

// CommandPeak is Command for a child whose peak memory the test measures:
// run the command, then call peak for the child's maximum resident set in
// bytes. The kernel's own figure for a child (rusage's maxrss) counts the
// memory of the parent it was started from, which shares its memory until
// it executes; the child's /proc/self/status (VmHWM) counts its own alone.
func CommandPeak(tb testing.TB, ctx context.Context, args ...string) (cmd *exec.Cmd, peak func() int64) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "peak")
	cmd = Command(ctx, args...)
	cmd.Env = append(cmd.Env, peakEnv+"="+path)
	return cmd, func() int64 {
		data, err := os.ReadFile(path)
		if err != nil {
			tb.Fatalf("the child wrote no peak memory: %v", err)
		}
		n, _ := strconv.ParseInt(string(data), 10, 64)
		return n
	}
}

// peakRSS is this process's maximum resident set in bytes (VmHWM), or 0
// where /proc does not say.
func peakRSS() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// Command runs this test binary as a child with args, to stand in for
// rlec: its TestMain calls RunAsChild.
func Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	// The race runtime sleeps a second at exit unless told not to.
	cmd.Env = append(os.Environ(), childEnv+"=1", "GORACE=atexit_sleep_ms=0")
	return cmd
}

// Allocated runs fn and returns how many bytes it allocated on the heap, in
// all (runtime.MemStats.TotalAlloc), freed since or not.
func Allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Refuses checks that read fails on data with an error that mentions want,
// allocating no more than limit bytes on the way: a hostile file is refused
// before the reader trusts what it claims.
func Refuses(tb testing.TB, read func(data []byte) error, data []byte, want string, limit uint64) {
	tb.Helper()
	var err error
	grew := Allocated(func() { err = read(data) })
	if err == nil || !strings.Contains(err.Error(), want) {
		tb.Fatalf("got error %v, want one mentioning %q", err, want)
	}
	if grew > limit {
		tb.Fatalf("refusing a %d-byte file allocated %d bytes", len(data), grew)
	}
}
