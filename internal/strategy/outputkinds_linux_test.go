package strategy_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/strategy"
)

// TestOutputKinds: what an output's path names decides how it is written,
// under every strategy. A device or a named pipe is written in place, force
// or not: a null device stays one (renaming a new file over it, as rlec
// once did, replaced the system's /dev/null). A symbolic link to a file
// stays a link, and the file it leads to is replaced, with force only. A
// folder is refused.
func TestOutputKinds(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.bmp")
	white := bmptest.Build(bmptest.Spec{Width: 3, Height: 1, BitsPerPixel: 1, Palette: bmptest.BlackWhite, Pixel: func(x, y int) uint32 { return 1 }})
	if err := os.WriteFile(in, white, 0o644); err != nil {
		t.Fatal(err)
	}
	want := []byte{3, 0, 1, 0, 0x83}
	compress := func(s strategy.Strategy, out string, force bool) error {
		opt := options(1)
		opt.Force = force
		return run(t, s, []job.Job{{Op: job.Compress, In: in, Out: out}}, opt)[in].Err
	}
	for _, s := range all(t) {
		t.Run(s.Name(), func(t *testing.T) {
			// A null device of its own: were it replaced, the system's
			// /dev/null would be at stake.
			null := filepath.Join(dir, s.Name()+".null")
			if err := unix.Mknod(null, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
				t.Logf("cannot make a device here (%v); the null device is not tried", err)
			} else if f, err := os.OpenFile(null, os.O_WRONLY, 0); err != nil {
				t.Logf("cannot open a device here (%v); the null device is not tried", err)
			} else {
				f.Close()
				for _, force := range []bool{false, true} {
					if err := compress(s, null, force); err != nil {
						t.Errorf("to a null device, force %v: %v", force, err)
					}
				}
				if fi, err := os.Lstat(null); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
					t.Errorf("the null device was replaced")
				}
			}

			fifo := filepath.Join(dir, s.Name()+".fifo")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			read := make(chan []byte)
			go func() {
				data, _ := os.ReadFile(fifo)
				read <- data
			}()
			if err := compress(s, fifo, false); err != nil {
				t.Errorf("to a named pipe: %v", err)
			}
			select {
			case got := <-read:
				if !bytes.Equal(got, want) {
					t.Errorf("the named pipe carried % x, want % x", got, want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("nothing was written to the named pipe")
			}
			if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
				t.Errorf("the named pipe was replaced")
			}

			target := filepath.Join(dir, s.Name()+"-target.rle")
			link := filepath.Join(dir, s.Name()+"-link.rle")
			if err := os.WriteFile(target, []byte("precious"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Base(target), link); err != nil {
				t.Fatal(err)
			}
			if err := compress(s, link, false); err == nil || !strings.Contains(err.Error(), fileio.ErrExists.Error()) {
				t.Errorf("to a link to a file, without force: %v, want %v", err, fileio.ErrExists)
			}
			if got, _ := os.ReadFile(target); string(got) != "precious" {
				t.Errorf("without force, the linked file was touched")
			}
			if err := compress(s, link, true); err != nil {
				t.Errorf("to a link to a file, with force: %v", err)
			}
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Errorf("the link was replaced by a file")
			}
			if got, _ := os.ReadFile(target); !bytes.Equal(got, want) {
				t.Errorf("the linked file holds % x, want % x", got, want)
			}

			if err := compress(s, dir, true); err == nil || !strings.Contains(err.Error(), "is a directory") {
				t.Errorf("to a folder: %v, want 'is a directory'", err)
			}
			assertNoTemps(t, dir)
		})
	}
}
