package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/rlec/rlec/internal/strategy"
)

// TestInterrupt sends SIGINT or SIGTERM to rlec in the middle of a batch:
// it must exit 130 or 143, leave no temporary file, and every output it
// leaves must be complete and correct.
func TestInterrupt(t *testing.T) {
	sample, err := os.ReadFile("../../testdata/sample.bmp")
	if err != nil {
		t.Fatal(err)
	}
	in := t.TempDir()
	const files = 120
	for i := range files {
		writeFile(t, filepath.Join(in, fmt.Sprintf("p%03d.bmp", i)), sample)
	}
	want := rlec(t, sample, "compress", "-", "-").stdout
	for _, tc := range []struct {
		sig      syscall.Signal
		code     int
		strategy string
	}{
		{syscall.SIGINT, 130, "serial"},
		{syscall.SIGINT, 130, "pool"},
		{syscall.SIGTERM, 143, "rows"},
		{syscall.SIGTERM, 143, "process"},
	} {
		t.Run(fmt.Sprintf("%s/%v", tc.strategy, tc.sig), func(t *testing.T) {
			out := t.TempDir()
			cmd := exec.Command(os.Args[0], "compress-dir", "-q", "-s", tc.strategy, "-j", "2", in, out)
			cmd.Env = append(os.Environ(), childEnv+"=1", "GORACE=atexit_sleep_ms=0")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Interrupt once work is under way.
			deadline := time.Now().Add(20 * time.Second)
			for len(outputs(t, out)) < 3 && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			cmd.Process.Signal(tc.sig)
			err := cmd.Wait()
			var exitErr *exec.ExitError
			if !errors.As(err, &exitErr) || exitErr.ExitCode() != tc.code {
				t.Fatalf("exit %v, want %d; stderr %q", err, tc.code, stderr.String())
			}
			if stderr.String() != "rlec: interrupted\n" {
				t.Errorf("stderr %q, want only \"rlec: interrupted\"", stderr.String())
			}
			names := outputs(t, out)
			if len(names) == files {
				t.Logf("the batch finished before the signal arrived")
			}
			for _, name := range names {
				if strategy.IsTemp(name) {
					t.Errorf("temporary file %s left behind", name)
					continue
				}
				if got, _ := os.ReadFile(filepath.Join(out, name)); string(got) != want {
					t.Errorf("%s is not a complete, correct output (%d bytes)", name, len(got))
				}
			}
		})
	}
}

func outputs(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names
}
