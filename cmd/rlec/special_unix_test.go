//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFilesInBatches: a named pipe called *.bmp in a folder fails on
// its own, under every strategy, instead of holding up the batch until
// something writes to it; bench refuses it.
func TestSpecialFilesInBatches(t *testing.T) {
	in := t.TempDir()
	bmp, rle := golden(t, "checker")
	writeFile(t, filepath.Join(in, "a.bmp"), bmp)
	if err := syscall.Mkfifo(filepath.Join(in, "pipe.bmp"), 0o600); err != nil {
		t.Skipf("cannot make a named pipe: %v", err)
	}
	within := func(name string, stdin []byte, args ...string) result {
		t.Helper()
		done := make(chan result, 1)
		go func() { done <- rlec(t, stdin, args...) }()
		select {
		case r := <-done:
			return r
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: still running after 20 s: held up by the named pipe", name)
			return result{}
		}
	}
	for _, s := range []string{"serial", "pool", "process"} {
		out := t.TempDir()
		r := within(s, nil, "compress-dir", "-q", "-s", s, in, out)
		if r.code != exitFailure || !strings.Contains(r.stderr, "pipe.bmp: not a regular file (a named pipe)") {
			t.Errorf("%s: %+v, want exit 1 and the pipe refused", s, r)
		}
		sameFiles(t, files(t, out), map[string][]byte{"a.rle": rle})
	}
	r := within("listed", []byte("pipe.bmp\n"), "compress-dir", "-q", "--files-from", "-", in, t.TempDir())
	if r.code != exitFailure || !strings.Contains(r.stderr, "pipe.bmp: not a regular file") {
		t.Errorf("--files-from: %+v, want exit 1 and the pipe refused", r)
	}
	r = within("bench", nil, "bench", "-n", "1", in)
	if r.code != exitFailure || !strings.Contains(r.stderr, "not a regular file") {
		t.Errorf("bench: %+v, want exit 1 and the pipe refused", r)
	}
}
