//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
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
	r := within("listed", []byte(filepath.Join(in, "pipe.bmp")+"\n"), "compress-dir", "-q", "--files-from", "-", in, t.TempDir())
	if r.code != exitFailure || !strings.Contains(r.stderr, "pipe.bmp: not a regular file") {
		t.Errorf("--files-from: %+v, want exit 1 and the pipe refused", r)
	}
	r = within("bench", nil, "bench", "-n", "1", in)
	if r.code != exitFailure || !strings.Contains(r.stderr, "not a regular file") {
		t.Errorf("bench: %+v, want exit 1 and the pipe refused", r)
	}
}

// TestUnreadableFolders: a folder the walk cannot read (mode 000, or a
// path past PATH_MAX, which even root cannot read by name) is reported and
// the batch goes on with the rest, exiting 1, as find and tar do.
func TestUnreadableFolders(t *testing.T) {
	in, want := tree(t)
	bmp, _ := golden(t, "checker")
	// Nested folders whose path passes PATH_MAX, made one level at a time
	// relative to the last, with a BMP at the bottom.
	long := strings.Repeat("d", 250)
	fd, err := unix.Open(in, unix.O_DIRECTORY|unix.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if err := unix.Mkdirat(fd, long, 0o755); err != nil {
			t.Fatal(err)
		}
		next, err := unix.Openat(fd, long, unix.O_DIRECTORY|unix.O_RDONLY, 0)
		unix.Close(fd)
		if err != nil {
			t.Fatal(err)
		}
		fd = next
	}
	f, err := unix.Openat(fd, "deep.bmp", unix.O_CREAT|unix.O_WRONLY, 0o644)
	unix.Close(fd)
	if err != nil {
		t.Fatal(err)
	}
	unix.Write(f, bmp)
	unix.Close(f)
	t.Cleanup(func() { // os.RemoveAll copes with long paths
		os.RemoveAll(filepath.Join(in, long))
	})
	locked := filepath.Join(in, "locked")
	os.Mkdir(locked, 0o755)
	writeFile(t, filepath.Join(locked, "hidden.bmp"), bmp)
	os.Chmod(locked, 0)
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	_, lockedErr := os.ReadDir(locked) // root reads it all the same

	out := t.TempDir()
	r := rlec(t, nil, "compress-dir", "-r", in, out)
	if r.code != exitFailure || !strings.Contains(r.stderr, "file name too long") {
		t.Fatalf("%+v, want exit 1 and the deep folder reported", r)
	}
	if lockedErr != nil && !strings.Contains(r.stderr, locked+": cannot read: permission denied") {
		t.Errorf("the locked folder is not reported:\n%s", r.stderr)
	}
	if lockedErr == nil {
		want[filepath.Join("locked", "hidden.rle")] = files(t, out)[filepath.Join("locked", "hidden.rle")]
	}
	sameFiles(t, files(t, out), want)
}

// TestFewFileHandles: with a handful of file handles (ulimit -n), a batch
// of many files under any strategy converts what fits and fails the rest
// file by file, exit status 1, never ending in a runtime crash, and leaves
// no temporary file behind.
func TestFewFileHandles(t *testing.T) {
	dir := t.TempDir()
	bmp, rle := golden(t, "checker")
	in := filepath.Join(dir, "in")
	os.Mkdir(in, 0o755)
	want := map[string][]byte{}
	for i := range 200 {
		writeFile(t, filepath.Join(in, fmt.Sprintf("f%03d.bmp", i)), bmp)
		want[fmt.Sprintf("f%03d.rle", i)] = rle
	}
	// Fewer files for the process strategy, whose children, under the race
	// detector, take a while to start.
	few := filepath.Join(dir, "few")
	os.Mkdir(few, 0o755)
	fewWant := map[string][]byte{}
	for i := range 20 {
		writeFile(t, filepath.Join(few, fmt.Sprintf("f%03d.bmp", i)), bmp)
		fewWant[fmt.Sprintf("f%03d.rle", i)] = rle
	}
	for _, limit := range []int{16, 10, 8} {
		for _, s := range []string{"serial", "pool", "process"} {
			t.Run(fmt.Sprintf("%s/ulimit %d", s, limit), func(t *testing.T) {
				out := filepath.Join(dir, fmt.Sprintf("out-%s-%d", s, limit))
				// The test binary itself, not the rlec script on the PATH
				// of shell, which sh could not open past the limit.
				exe, _ := os.Executable()
				in, want := "in", want
				if s == "process" {
					in, want = "few", fewWant
				}
				sh := shell(t, dir, fmt.Sprintf("ulimit -n %d && RLEC_TEST_CHILD=1 exec '%s' compress-dir -q -j 8 -s %s %s %s", limit, exe, s, in, out))
				msg, err := sh.CombinedOutput()
				code := 0
				if ee, ok := err.(*exec.ExitError); ok {
					code = ee.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				if code > 1 || strings.Contains(string(msg), "fatal error") || strings.Contains(string(msg), "goroutine") {
					t.Fatalf("exit %d:\n%.2000s", code, msg)
				}
				got := files(t, out)
				for name := range got {
					if strings.HasPrefix(name, ".rlec-tmp-") {
						t.Errorf("temporary file %s left behind", name)
					}
				}
				if code == 0 {
					sameFiles(t, got, want)
				} else if n := strings.Count(string(msg), "too many open files"); n == 0 {
					t.Errorf("exit 1, but no file failed for want of handles:\n%.2000s", msg)
				}
				t.Logf("exit %d, %d of %d written", code, len(got), len(want))
			})
		}
	}
}
