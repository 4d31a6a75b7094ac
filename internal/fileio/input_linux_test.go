package fileio

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// mappedThenCut maps a file of several pages, then cuts the file short
// after its first page, as another program might while rlec reads it:
// reading the mapping past that page then faults. (Inside the page, the
// bytes past the new end read as zeros.)
func mappedThenCut(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "in")
	content := make([]byte, 64<<10)
	for i := range content {
		content[i] = byte(rand.Uint32())
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	in := &Input{ReaderAt: f, Size: int64(len(content))}
	data, release, err := in.Bytes(func(n int64) []byte { return make([]byte, n) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(release)
	if err := os.Truncate(path, int64(os.Getpagesize())); err != nil {
		t.Fatal(err)
	}
	return data
}

// TestMappedInputCutShort: reading a mapped input cut short faults, and
// GuardFaults turns the fault into ErrInputFault, not a crash.
func TestMappedInputCutShort(t *testing.T) {
	data := mappedThenCut(t)
	err := GuardFaults(data, func() error {
		var sum byte
		for _, b := range data {
			sum += b
		}
		return fmt.Errorf("read past the end of a cut file without a fault (sum %d)", sum)
	})
	if !errors.Is(err, ErrInputFault) {
		t.Fatalf("got %v, want %v", err, ErrInputFault)
	}
}

// TestGuardFaultsElsewhere: a fault outside the data guarded is a bug, and
// guardFaults does not turn it into an error.
func TestGuardFaultsElsewhere(t *testing.T) {
	guarded := []byte("not the data that faults")
	other := mappedThenCut(t)
	defer func() {
		if recover() == nil {
			t.Fatal("a fault outside the guarded data did not panic")
		}
	}()
	GuardFaults(guarded, func() error {
		var sum byte
		for _, b := range other {
			sum += b
		}
		t.Errorf("read past the end of a cut file without a fault (sum %d)", sum)
		return nil
	})
}

// TestGrowPipe checks that a pipe is enlarged to pipeSize, or as far as the
// system lets an unprivileged user, and that anything else is left alone.
func TestGrowPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	want := pipeSize
	if limit, err := os.ReadFile("/proc/sys/fs/pipe-max-size"); err == nil {
		var max int
		if _, err := fmt.Sscan(string(limit), &max); err == nil && max < want && os.Geteuid() != 0 {
			want = max
		}
	}
	for _, f := range []*os.File{r, w} {
		growPipe(f)
		size, err := unix.FcntlInt(f.Fd(), unix.F_GETPIPE_SZ, 0)
		if err != nil || size < want {
			t.Errorf("pipe holds %d bytes (%v), want %d", size, err, want)
		}
	}
	file, err := os.Create(filepath.Join(t.TempDir(), "file"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	growPipe(file) // must do nothing, and not fail
	if _, err := file.Write([]byte("ok")); err != nil {
		t.Fatal(err)
	}
}

// TestOpenRead checks that openRead opens files for reading as os.Open
// does, but in blocking mode, not the poller's (which would let them take a
// deadline): a regular file, and a FIFO, which os.Open would give the
// poller; and that a missing file fails with os.Open's error.
func TestOpenRead(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "page.bmp")
	if err := os.WriteFile(regular, []byte("pixels"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := openRead(regular)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, err := io.ReadAll(f); err != nil || string(got) != "pixels" {
		t.Errorf("read %q, %v; want %q", got, err, "pixels")
	}
	if err := f.SetReadDeadline(time.Now()); !errors.Is(err, os.ErrNoDeadline) {
		t.Errorf("a regular file took a deadline (%v): it is the poller's", err)
	}

	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	go func() { // opening the FIFO waits for this writer
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			w.Write([]byte("stream"))
			w.Close()
		}
	}()
	p, err := openRead(fifo)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if err := p.SetReadDeadline(time.Now().Add(time.Minute)); !errors.Is(err, os.ErrNoDeadline) {
		t.Errorf("a FIFO took a deadline (%v): it is the poller's", err)
	}
	if got, err := io.ReadAll(p); err != nil || string(got) != "stream" {
		t.Errorf("read %q, %v from the FIFO; want %q", got, err, "stream")
	}

	missing := filepath.Join(dir, "missing.bmp")
	_, err = openRead(missing)
	var pe *os.PathError
	if !errors.As(err, &pe) || pe.Op != "open" || pe.Path != missing || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("opening a missing file: %v; want os.Open's error", err)
	}
}
