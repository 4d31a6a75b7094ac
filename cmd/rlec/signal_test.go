package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/testkit"
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
			cmd := testkit.Command(context.Background(), "compress-dir", "-q", "-s", tc.strategy, "-j", "2", in, out)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Interrupt once work is under way.
			deadline := time.Now().Add(20 * time.Second)
			for len(testkit.ListDir(t, out)) < 3 && time.Now().Before(deadline) {
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
			names := testkit.ListDir(t, out)
			if len(names) == files {
				t.Logf("the batch finished before the signal arrived")
			}
			for _, name := range names {
				if fileio.IsTemp(name) {
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

// TestArmSignals checks which commands install signal handlers: those that
// make something a killed process would leave behind (a batch, a child
// process, a temporary name to replace an output by) and not those that
// write one file under no name until it is complete.
func TestArmSignals(t *testing.T) {
	sample, err := os.ReadFile("../../testdata/sample.bmp")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := writeFile(t, filepath.Join(dir, "in.bmp"), sample)
	existing := writeFile(t, filepath.Join(dir, "existing.rle"), nil)
	unnamed := unnamedFiles(dir)
	for _, tc := range []struct {
		name string
		args []string
		want bool
	}{
		{"to a new file", []string{"compress", in, filepath.Join(dir, "new.rle")}, !unnamed},
		{"to stdout", []string{"compress", in, "-"}, false},
		{"replacing a file", []string{"compress", "-f", in, existing}, true},
		{"in a child process", []string{"compress", "-s", "process", in, filepath.Join(dir, "child.rle")}, true},
		{"a folder", []string{"compress-dir", "-q", dir, filepath.Join(dir, "out")}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			armed := 0
			streams := &IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut, ArmSignals: func() { armed++ }}
			if code := run(context.Background(), tc.args, streams); code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if (armed > 0) != tc.want {
				t.Errorf("signal handlers armed %d times, want armed: %v", armed, tc.want)
			}
		})
	}
}

// TestInterruptOneFile interrupts rlec compressing and decompressing one
// large file, after delays spread over the time an uninterrupted run takes,
// so that they land before, during and after the work:
// it must end as a shell reports 130 (or 0, having finished), and leave the
// complete output or none, and no temporary file.
func TestInterruptOneFile(t *testing.T) {
	dir := t.TempDir()
	page := bmptest.Build(bmptest.Spec{Width: 4000, Height: 4000, BitsPerPixel: 1, Palette: bmptest.BlackWhite,
		Pixel: func(x, y int) uint32 { return uint32((x/3 ^ y/7) & 1) }})
	in := writeFile(t, filepath.Join(dir, "in.bmp"), page)
	rle := rlec(t, page, "compress", "-", "-").stdout
	writeFile(t, filepath.Join(dir, "in.rle"), []byte(rle))
	want := map[string]string{"compress": rle, "decompress": rlec(t, []byte(rle), "decompress", "-", "-").stdout}
	for _, op := range []string{"compress", "decompress"} {
		src := map[string]string{"compress": in, "decompress": filepath.Join(dir, "in.rle")}[op]
		command := func(out string) *exec.Cmd {
			return testkit.Command(context.Background(), op, src, filepath.Join(out, "out"))
		}
		start := time.Now()
		if err := command(t.TempDir()).Run(); err != nil {
			t.Fatal(err)
		}
		whole := time.Since(start)
		const runs = 24
		finished, killed := 0, 0
		for i := range runs {
			out := t.TempDir()
			cmd := command(out)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(whole * time.Duration(i) / (runs * 3 / 4))
			cmd.Process.Signal(syscall.SIGINT)
			err := cmd.Wait()
			var exitErr *exec.ExitError
			switch {
			case err == nil:
				finished++
			case errors.As(err, &exitErr) && shellStatus(exitErr) == 130:
				killed++
			default:
				t.Fatalf("%s: %v, want exit 0 or 130", op, err)
			}
			for _, name := range testkit.ListDir(t, out) {
				if got, _ := os.ReadFile(filepath.Join(out, name)); name != "out" || string(got) != want[op] {
					t.Errorf("%s left %s, %d bytes", op, name, len(got))
				}
			}
		}
		t.Logf("%s: %d runs finished, %d were interrupted (a run takes %v)", op, finished, killed, whole)
	}
}

// shellStatus is the exit status a shell reports: 128+N for signal N.
func shellStatus(err *exec.ExitError) int {
	if ws, ok := err.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return err.ExitCode()
}

// TestClosedStderr: a batch whose standard error has no reader (2>&1 |
// head -c1) goes on to the end, writes every output it can, and exits 1
// for its bad file, not 141.
func TestClosedStderr(t *testing.T) {
	in, want := tree(t)
	writeFile(t, filepath.Join(in, "aaa-broken.bmp"), []byte("BM but nothing else")) // a message first
	for _, s := range []string{"serial", "pool", "process"} {
		t.Run(s, func(t *testing.T) {
			out := t.TempDir()
			cmd := testkit.Command(context.Background(), "compress-dir", "-r", "-s", s, in, out)
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			r.Close() // no reader at all
			cmd.Stderr = w
			err = cmd.Run()
			w.Close()
			if ee, ok := err.(*exec.ExitError); !ok || shellStatus(ee) != exitFailure {
				t.Fatalf("%v, want exit status 1", err)
			}
			sameFiles(t, files(t, out), want)
		})
	}
}

// TestKilledReplacing: rlec killed outright (SIGKILL) while it replaces an
// output, again and again, may leave a temporary file each time it dies
// with the file named; the next run that writes there removes them all,
// and the output is whole.
func TestKilledReplacing(t *testing.T) {
	dir := t.TempDir()
	bmp, want := golden(t, "checker")
	in := writeFile(t, filepath.Join(dir, "in.bmp"), bmp)
	out := writeFile(t, filepath.Join(dir, "out.rle"), []byte("old"))
	// What a process killed between naming its temporary file and renaming
	// it leaves, for certain, beside what the kills below may leave.
	writeFile(t, filepath.Join(dir, ".rlec-tmp-out.rle-left"), want)
	r := rand.New(rand.NewPCG(1, 2))
	for range 40 {
		cmd := testkit.Command(context.Background(), "compress", "-f", in, out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.IntN(3000)) * time.Microsecond)
		cmd.Process.Kill()
		cmd.Wait()
	}
	if r := rlec(t, nil, "compress", "-f", in, out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, want) {
		t.Error("the output is not whole")
	}
	if names := testkit.ListDir(t, dir); !slices.Equal(names, []string{"in.bmp", "out.rle"}) {
		t.Errorf("left %v", names)
	}
}
