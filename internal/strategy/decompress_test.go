package strategy_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/rle"
	"github.com/rlec/rlec/internal/strategy"
)

// compressedImages writes random 1-bit images of the given sizes as .rle
// files into dir, compressed by serial, and returns their paths. Pool's
// blocks are half a million pixels, so the larger images span several.
func compressedImages(t *testing.T, dir string, sizes [][2]int) []string {
	t.Helper()
	r := rand.New(rand.NewPCG(12, 13))
	var bmps []string
	for i, size := range sizes {
		seed, period := r.Uint64(), 1+r.IntN(9)
		spec := bmptest.Spec{Width: size[0], Height: size[1], BitsPerPixel: 1, Palette: bmptest.BlackWhite,
			Pixel: func(x, y int) uint32 { return uint32((uint64(x/period+y/3)*seed)>>61) & 1 }}
		path := filepath.Join(dir, fmt.Sprintf("in%02d.bmp", i))
		if err := os.WriteFile(path, bmptest.Build(spec), 0o644); err != nil {
			t.Fatal(err)
		}
		bmps = append(bmps, path)
	}
	var rles []string
	for in, data := range compressAll(t, strategy.Serial{}, bmps, dir, options(1)) {
		path := strings.TrimSuffix(in, ".bmp") + ".rle"
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		rles = append(rles, path)
	}
	return rles
}

// TestDecompressStrategiesAgree: every strategy, with any number of jobs,
// one file at a time or in a batch, decompresses to the same BMP bytes, and
// those compress back to the file they came from.
func TestDecompressStrategiesAgree(t *testing.T) {
	inputs := compressedImages(t, t.TempDir(), [][2]int{{1, 1}, {127, 3}, {640, 480}, {1500, 1300}, {5000, 330}, {9, 65535}})
	want := convertAll(t, strategy.Serial{}, job.Decompress, inputs, t.TempDir(), options(1))
	back := t.TempDir()
	for _, in := range inputs {
		bmp := filepath.Join(back, filepath.Base(in)+".bmp")
		if err := os.WriteFile(bmp, want[in], 0o644); err != nil {
			t.Fatal(err)
		}
		original, _ := os.ReadFile(in)
		if again := compressAll(t, strategy.Serial{}, []string{bmp}, t.TempDir(), options(1))[bmp]; !bytes.Equal(again, original) {
			t.Errorf("%s does not survive a round trip", filepath.Base(in))
		}
	}
	for _, s := range all(t) {
		for _, jobs := range []int{1, 2, 3} {
			batch := convertAll(t, s, job.Decompress, inputs, t.TempDir(), options(jobs))
			for _, in := range inputs {
				alone := convertAll(t, s, job.Decompress, []string{in}, t.TempDir(), options(jobs))
				if !bytes.Equal(batch[in], want[in]) || !bytes.Equal(alone[in], want[in]) {
					t.Errorf("%s --jobs %d: %s decompresses differently from serial", s.Name(), jobs, filepath.Base(in))
				}
			}
		}
	}
}

// TestDecompressReportsFirstFault: a file damaged in several blocks is
// refused under every strategy with the fault serial reading meets first,
// whichever block a worker finished first, and no output is left, nor any
// byte written to a stream.
func TestDecompressReportsFirstFault(t *testing.T) {
	dir := t.TempDir()
	in := compressedImages(t, dir, [][2]int{{2000, 2500}})[0]
	data, _ := os.ReadFile(in)
	body := len(data) - rle.HeaderSize
	damaged := map[string][]byte{}
	for _, at := range [][]int{{90, 30}, {30, 90}, {95}} { // percent of the body
		bad := bytes.Clone(data)
		for _, p := range at {
			bad[rle.HeaderSize+body*p/100] = 0 // a run of length 0
		}
		damaged[fmt.Sprint("zero", at)] = bad
	}
	long := bytes.Clone(data) // a run made longer: only a whole row's sum shows it
	i := rle.HeaderSize + body*60/100
	for long[i]&0x7f == 0x7f {
		i++
	}
	long[i] |= 0x7f
	damaged["long run"] = long
	damaged["truncated"] = data[:len(data)-1]
	damaged["trailing"] = append(bytes.Clone(data), 0x81)
	for name, bad := range damaged {
		t.Run(name, func(t *testing.T) {
			_, first := rle.Scan(bad)
			if first == nil {
				t.Fatalf("%s: Scan finds no fault", name)
			}
			path := filepath.Join(dir, name+".rle")
			if err := os.WriteFile(path, bad, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, s := range all(t) {
				for _, jobs := range []int{1, 2, 4} {
					out := t.TempDir()
					res := run(t, s, []job.Job{{Op: job.Decompress, In: path, Out: filepath.Join(out, "out.bmp")}}, options(jobs))[path]
					if res.Err == nil || !strings.Contains(res.Err.Error(), first.Error()) {
						t.Errorf("%s --jobs %d, %s: got %v, want %v", s.Name(), jobs, name, res.Err, first)
					}
					if entries, _ := os.ReadDir(out); len(entries) != 0 {
						t.Errorf("%s --jobs %d, %s: left %d files", s.Name(), jobs, name, len(entries))
					}
					// To a stream, which gets the image's last rows first:
					// nothing may be written, wherever the fault is.
					var stream bytes.Buffer
					opt := options(jobs)
					opt.Stdout = &stream
					res = run(t, s, []job.Job{{Op: job.Decompress, In: path, Out: fileio.Stdio}}, opt)[path]
					if res.Err == nil || !strings.Contains(res.Err.Error(), first.Error()) || stream.Len() != 0 {
						t.Errorf("%s --jobs %d, %s, to a stream: got %v and %d bytes, want %v and none", s.Name(), jobs, name, res.Err, stream.Len(), first)
					}
				}
			}
		})
	}
}
