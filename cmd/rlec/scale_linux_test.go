package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
	"github.com/rlec/rlec/internal/testkit"
)

// TestScale compresses a batch of 5,000 files and holds its peak memory
// (maximum resident set) to 100 MiB under each in-process strategy, and a
// batch of 300 under the process strategy.
func TestScale(t *testing.T) {
	if raceEnabled {
		t.Skip("peak memory is measured without -race, whose shadow memory inflates it; make test runs this test again without -race")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	in := t.TempDir()
	const files = 5000
	var images [7][]byte // a spread of sizes
	for i := range images {
		images[i] = bmptest.Build(bmptest.Spec{Width: 300 + 100*i, Height: 400, BitsPerPixel: 1, Palette: bmptest.BlackWhite,
			Pixel: func(x, y int) uint32 { return uint32((x/3 + y/5 + i) & 1) }})
	}
	for i := range files {
		writeFile(t, filepath.Join(in, fmt.Sprintf("f%04d.bmp", i)), images[i%len(images)])
	}
	const limit = 100 << 20
	for _, tc := range []struct {
		strategy string
		files    int
	}{{"pool", files}, {"serial", files}, {"process", 300}} {
		t.Run(tc.strategy, func(t *testing.T) {
			out := t.TempDir()
			args := []string{"compress-dir", "-q", "-s", tc.strategy, "-j", "2", in, out}
			if tc.files < files {
				list := ""
				for i := range tc.files {
					list += filepath.Join(in, fmt.Sprintf("f%04d.bmp", i)) + "\n"
				}
				args = append(args, "--files-from", "-")
				cmd := testkit.Command(context.Background(), args...)
				cmd.Stdin = bytes.NewReader([]byte(list))
				checkScale(t, cmd, out, tc.files, limit)
				return
			}
			checkScale(t, testkit.Command(context.Background(), args...), out, tc.files, limit)
		})
	}
}

func checkScale(t *testing.T, cmd *exec.Cmd, out string, files int, limit int64) {
	t.Helper()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	peak := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024 // kilobytes on Linux, bytes on macOS
	if n := len(testkit.ListDir(t, out)); n != files {
		t.Fatalf("wrote %d outputs for %d inputs", n, files)
	}
	t.Logf("%d files: peak memory %.1f MiB", files, float64(peak)/(1<<20))
	if peak > limit {
		t.Errorf("peak memory %.1f MiB, over %d MiB", float64(peak)/(1<<20), limit>>20)
	}
}
