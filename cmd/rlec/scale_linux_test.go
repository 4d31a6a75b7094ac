package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
	"github.com/rlec/rlec/internal/rle"
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
				checkScale(t, args, []byte(list), out, tc.files, limit)
				return
			}
			checkScale(t, args, nil, out, tc.files, limit)
		})
	}
}

func checkScale(t *testing.T, args []string, stdin []byte, out string, files int, limit int64) {
	t.Helper()
	peakOf(t, args, stdin, limit)
	if n := len(testkit.ListDir(t, out)); n != files {
		t.Fatalf("wrote %d outputs for %d inputs", n, files)
	}
}

// TestLargePage decompresses a 135-Mpixel page (10200×13200, 1200 dpi
// letter) to every format rlec writes, and compresses each back, in at most
// 48 MiB of peak memory a process: no format holds the image whole, even
// where it stores rows compressed.
func TestLargePage(t *testing.T) {
	if raceEnabled {
		t.Skip("peak memory is measured without -race; make test runs this test again without -race")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	const w, h, limit = 10200, 13200, 48 << 20
	bm, err := bitmap.New(w, h)
	if err != nil {
		t.Fatal(err)
	}
	for y := range h { // lines of "text": short black runs on white, with margins and gaps
		line := y % 120
		for x := range w {
			ink := line >= 40 && line < 90 && x > 600 && x < w-600 && (x/7+y/11)%5 == 0
			bm.Set(x, y, !ink)
		}
	}
	dir := t.TempDir()
	var page bytes.Buffer
	if err := rle.Encode(&page, bm); err != nil {
		t.Fatal(err)
	}
	in := writeFile(t, filepath.Join(dir, "page.rle"), page.Bytes())
	for _, format := range codec.Writers() {
		t.Run(format, func(t *testing.T) {
			img := filepath.Join(dir, "page"+codec.Writer(format).WriteExts[0])
			back := filepath.Join(dir, "back-"+format+".rle")
			peakOf(t, []string{"decompress", "-q", in, img}, nil, limit)
			peakOf(t, []string{"compress", "-q", img, back}, nil, limit)
			if got, err := os.ReadFile(back); err != nil || !bytes.Equal(got, page.Bytes()) {
				t.Errorf("the page does not come back through %s: %v", format, err)
			}
		})
	}
}

// peakOf runs rlec with args in a child process and fails the test if it
// fails or its peak memory (maximum resident set) passes limit.
func peakOf(t *testing.T, args []string, stdin []byte, limit int64) {
	t.Helper()
	cmd, peak := testkit.CommandPeak(t, context.Background(), args...)
	var stderr bytes.Buffer
	cmd.Stdin, cmd.Stderr = bytes.NewReader(stdin), &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %v: %s", args, err, stderr.String())
	}
	t.Logf("%s: peak memory %.1f MiB", strings.Join(args, " "), float64(peak())/(1<<20))
	if p := peak(); p > limit {
		t.Errorf("%v: peak memory %.1f MiB, over %d MiB", args, float64(p)/(1<<20), limit>>20)
	}
}
