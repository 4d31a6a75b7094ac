// Package testkit holds what tests of several packages share: listing a
// folder, and letting a test binary stand in for rlec when a test starts it
// as a child process. It is imported by tests only.
package testkit

import (
	"context"
	"os"
	"os/exec"
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
// returns, and TestMain goes on to run the tests.
func RunAsChild(child func(args []string) int) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(child(os.Args[1:]))
	}
}

// Command runs this test binary as a child with args, to stand in for
// rlec: its TestMain calls RunAsChild.
func Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	// The race runtime sleeps a second at exit unless told not to.
	cmd.Env = append(os.Environ(), childEnv+"=1", "GORACE=atexit_sleep_ms=0")
	return cmd
}
