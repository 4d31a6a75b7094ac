package strategy_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	_ "github.com/rlec/rlec/internal/codec/all"
	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
	"github.com/rlec/rlec/internal/conformance"
	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/strategy"
	"github.com/rlec/rlec/internal/testkit"
)

func TestMain(m *testing.M) {
	testkit.RunAsChild(child)
	flag.Parse()
	os.Exit(m.Run())
}

// child stands in for the rlec command line that the process strategy runs:
// "OP --quiet [--strategy serial] [--force] -- IN OUT".
func child(args []string) int {
	in, out := args[len(args)-2], args[len(args)-1]
	if strings.Contains(in, "die-") { // a child that dies without a word
		if p, err := os.FindProcess(os.Getpid()); err == nil {
			p.Kill() // SIGKILL on Unix
		}
	}
	op := job.Compress
	if args[0] == "decompress" {
		op = job.Decompress
	}
	var res job.Result
	opt := strategy.Options{Jobs: 1, Force: slices.Contains(args, "--force"), Stdin: os.Stdin, Stdout: os.Stdout}
	strategy.Serial{}.Run(context.Background(), []job.Job{{Op: op, In: in, Out: out}}, opt, func(r job.Result) { res = r })
	if res.Err != nil {
		fmt.Fprintf(os.Stderr, "rlec: %v\n", res.Err)
		return 1
	}
	return 0
}

func options(jobs int) strategy.Options {
	return strategy.Options{
		Jobs:    jobs,
		Command: testkit.Command,
	}
}

func all(t *testing.T) []strategy.Strategy {
	t.Helper()
	var out []strategy.Strategy
	for _, name := range strategy.Names() {
		s, err := strategy.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// run runs jobs and returns their results by input.
func run(t *testing.T, s strategy.Strategy, jobs []job.Job, opt strategy.Options) map[string]job.Result {
	t.Helper()
	results := map[string]job.Result{}
	s.Run(context.Background(), jobs, opt, func(r job.Result) {
		if _, dup := results[r.In]; dup {
			t.Errorf("%s reported twice", r.In)
		}
		results[r.In] = r
	})
	return results
}

// compressAll compresses every input into dir and returns the outputs' bytes
// by input, failing the test on any error.
func compressAll(t *testing.T, s strategy.Strategy, inputs []string, dir string, opt strategy.Options) map[string][]byte {
	t.Helper()
	return convertAll(t, s, job.Compress, inputs, dir, opt)
}

// convertAll runs op on every input into dir and returns the outputs' bytes
// by input, failing the test on any error.
func convertAll(t *testing.T, s strategy.Strategy, op job.Op, inputs []string, dir string, opt strategy.Options) map[string][]byte {
	t.Helper()
	var jobs []job.Job
	for i, in := range inputs {
		jobs = append(jobs, job.Job{Op: op, In: in, Out: filepath.Join(dir, fmt.Sprintf("%03d.out", i))})
	}
	got := map[string][]byte{}
	for in, r := range run(t, s, jobs, opt) {
		if r.Err != nil {
			t.Fatalf("%s: %v", s.Name(), r.Err)
		}
		data, err := os.ReadFile(r.Out)
		if err != nil {
			t.Fatal(err)
		}
		if r.OutBytes != int64(len(data)) {
			t.Errorf("%s: reported %d bytes out, wrote %d", s.Name(), r.OutBytes, len(data))
		}
		got[in] = data
	}
	if len(got) != len(inputs) {
		t.Fatalf("%s: %d results for %d jobs", s.Name(), len(got), len(inputs))
	}
	assertNoTemps(t, dir)
	return got
}

func assertNoTemps(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if fileio.IsTemp(e.Name()) {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestLookup(t *testing.T) {
	if want := []string{"serial", "rows", "pool", "process"}; !slices.Equal(strategy.Names(), want) {
		t.Fatalf("Names() = %v, want %v", strategy.Names(), want)
	}
	_, err := strategy.Lookup("threads")
	if err == nil || !strings.Contains(err.Error(), "serial, rows, pool, process") {
		t.Fatalf("unknown strategy error %v does not list the valid ones", err)
	}
}

// TestConformance: every conformance BMP gives its expected bytes under
// every strategy, alone and in one batch. (cmd/rlec's
// TestFormatsConformance does the same for the other formats.)
func TestConformance(t *testing.T) {
	cases := conformance.BMPCases(t)
	if len(cases) < 30 {
		t.Fatalf("found %d conformance files, expected the book's and the BMP Suite's", len(cases))
	}
	var inputs []string
	for _, c := range cases {
		inputs = append(inputs, c.Path)
	}
	for _, s := range all(t) {
		t.Run(s.Name(), func(t *testing.T) {
			batch := compressAll(t, s, inputs, t.TempDir(), options(2))
			for _, c := range cases {
				want, err := os.ReadFile(c.Expected)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(batch[c.Path], want) {
					t.Errorf("%s in a batch: differs from %s", c.Rel, c.Expected)
				}
				alone := compressAll(t, s, []string{c.Path}, t.TempDir(), options(2))
				if !bytes.Equal(alone[c.Path], want) {
					t.Errorf("%s alone: differs from %s", c.Rel, c.Expected)
				}
			}
		})
	}
}

// TestStrategiesAgree: random images give identical bytes under every
// strategy and number of jobs, one at a time and in batches. Most rows end
// in padding bits that their writer left set, which must change nothing:
// each output is checked against serial's for the same image padded with
// zeros.
func TestStrategiesAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 11))
	dir, cleanDir := t.TempDir(), t.TempDir()
	var inputs, clean []string
	for i := range 12 {
		w, h := 1+r.IntN(1500), 1+r.IntN(300)
		seed := r.Uint64()
		spec := bmptest.Spec{Width: w, Height: h, BitsPerPixel: 1, Palette: bmptest.BlackWhite, TopDown: i%3 == 0,
			Pixel: func(x, y int) uint32 { return uint32((uint64(x/(1+y%7))*seed + uint64(y)) >> 17 & 1) }}
		if i%4 == 1 {
			spec.BitsPerPixel, spec.Palette = 24, nil
			spec.Pixel = func(x, y int) uint32 { return uint32(x*y+int(seed)) & 0xffffff }
		}
		name := fmt.Sprintf("in%02d.bmp", i)
		inputs = append(inputs, writeSpec(t, filepath.Join(dir, name), spec, byte(r.Uint32())|1))
		clean = append(clean, writeSpec(t, filepath.Join(cleanDir, name), spec, 0))
	}
	want := map[string][]byte{}
	for in, rle := range compressAll(t, strategy.Serial{}, clean, t.TempDir(), options(1)) {
		want[filepath.Base(in)] = rle
	}
	for _, s := range all(t) {
		for _, jobs := range []int{1, 2, 3} {
			got := compressAll(t, s, inputs, t.TempDir(), options(jobs))
			for _, in := range inputs {
				if !bytes.Equal(got[in], want[filepath.Base(in)]) {
					t.Errorf("%s --jobs %d: %s differs from serial", s.Name(), jobs, filepath.Base(in))
				}
			}
			for _, in := range inputs[:3] {
				alone := compressAll(t, s, []string{in}, t.TempDir(), options(jobs))
				if !bytes.Equal(alone[in], want[filepath.Base(in)]) {
					t.Errorf("%s --jobs %d alone: %s differs from serial", s.Name(), jobs, filepath.Base(in))
				}
			}
		}
	}
}

// writeSpec writes the BMP spec describes, its rows padded with padding.
func writeSpec(t *testing.T, path string, spec bmptest.Spec, padding byte) string {
	t.Helper()
	spec.Padding = padding
	if err := os.WriteFile(path, bmptest.Build(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBadFileFailsAlone: in a batch, a bad file fails with an error naming
// it, and every other file is written.
func TestBadFileFailsAlone(t *testing.T) {
	dir := t.TempDir()
	good := bmptest.Build(bmptest.Spec{Width: 40, Height: 4, BitsPerPixel: 1, Palette: bmptest.BlackWhite, Pixel: func(x, y int) uint32 { return uint32(x & 1) }})
	files := map[string][]byte{"a.bmp": good, "bad.bmp": []byte("BM but nothing else"), "c.bmp": good, "die-d.bmp": good}
	for name, data := range files {
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	for _, s := range all(t) {
		out := t.TempDir()
		var jobs []job.Job
		for _, name := range slices.Sorted(func(y func(string) bool) {
			for n := range files {
				if n != "die-d.bmp" || s.Name() == "process" {
					y(n)
				}
			}
		}) {
			jobs = append(jobs, job.Job{Op: job.Compress, In: filepath.Join(dir, name), Out: filepath.Join(out, name+".rle")})
		}
		results := run(t, s, jobs, options(2))
		if len(results) != len(jobs) {
			t.Fatalf("%s: %d results for %d jobs", s.Name(), len(results), len(jobs))
		}
		for in, r := range results {
			base := filepath.Base(in)
			_, statErr := os.Stat(r.Out)
			switch {
			case base == "bad.bmp" || base == "die-d.bmp":
				var fe *job.FileError
				if !errors.As(r.Err, &fe) || fe.Path != in {
					t.Errorf("%s: %s gave %v, want an error naming it", s.Name(), base, r.Err)
				}
				if base == "die-d.bmp" && !strings.Contains(r.Err.Error(), "killed") {
					t.Errorf("%s: a killed child is reported as %v", s.Name(), r.Err)
				}
				if statErr == nil {
					t.Errorf("%s: output written for %s", s.Name(), base)
				}
			case r.Err != nil || statErr != nil:
				t.Errorf("%s: good file %s: %v %v", s.Name(), base, r.Err, statErr)
			}
		}
		assertNoTemps(t, out)
	}
}

// TestNoClobber: an existing output is refused, untouched, without Force,
// and replaced with it.
func TestNoClobber(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.bmp")
	os.WriteFile(in, bmptest.Build(bmptest.Spec{Width: 3, Height: 1, BitsPerPixel: 1, Palette: bmptest.BlackWhite, Pixel: func(x, y int) uint32 { return 1 }}), 0o644)
	for _, s := range all(t) {
		out := filepath.Join(dir, s.Name()+".rle")
		os.WriteFile(out, []byte("precious"), 0o644)
		job := []job.Job{{Op: job.Compress, In: in, Out: out}}
		r := run(t, s, job, options(1))[in]
		if !errors.Is(r.Err, fileio.ErrExists) {
			t.Errorf("%s: existing output gave %v, want ErrExists", s.Name(), r.Err)
		}
		if data, _ := os.ReadFile(out); string(data) != "precious" {
			t.Errorf("%s: existing output was touched", s.Name())
		}
		opt := options(1)
		opt.Force = true
		if r := run(t, s, job, opt)[in]; r.Err != nil {
			t.Errorf("%s --force: %v", s.Name(), r.Err)
		}
		if data, _ := os.ReadFile(out); !bytes.Equal(data, []byte{3, 0, 1, 0, 0x83}) {
			t.Errorf("%s --force: output is % x", s.Name(), data)
		}
		assertNoTemps(t, dir)
	}
}

// TestCancelled: a cancelled batch starts nothing and leaves nothing.
func TestCancelled(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.bmp")
	os.WriteFile(in, bmptest.Build(bmptest.Spec{Width: 3, Height: 1, BitsPerPixel: 1, Palette: bmptest.BlackWhite, Pixel: func(x, y int) uint32 { return 1 }}), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, s := range all(t) {
		out := filepath.Join(dir, s.Name()+".rle")
		s.Run(ctx, []job.Job{{Op: job.Compress, In: in, Out: out}, {Op: job.Compress, In: in, Out: out + "2"}}, options(2), func(r job.Result) {
			if r.Err == nil {
				t.Errorf("%s: a job succeeded after cancellation", s.Name())
			}
		})
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s: wrote an output after cancellation", s.Name())
		}
	}
	assertNoTemps(t, dir)
}

// failingWriter takes limit bytes, then fails every write.
type failingWriter struct{ limit int }

var errWriteFailed = errors.New("no room left")

func (w *failingWriter) Write(p []byte) (int, error) {
	n := min(len(p), w.limit)
	w.limit -= n
	if n < len(p) {
		return n, errWriteFailed
	}
	return n, nil
}

// TestWriteFailure: an output stream that fails, at its first write or
// partway, fails the job with that error under every strategy, whether the
// output is written in one go or in several writes.
func TestWriteFailure(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(3, 4))
	images := map[string]bmptest.Spec{
		"small.bmp": {Width: 100, Height: 50, BitsPerPixel: 1, Palette: bmptest.BlackWhite,
			Pixel: func(x, y int) uint32 { return uint32(x / 10 % 2) }},
		"noise.bmp": {Width: 3000, Height: 600, BitsPerPixel: 1, Palette: bmptest.BlackWhite, // about 1 MB of .rle
			Pixel: func(x, y int) uint32 { return uint32(r.IntN(2)) }},
	}
	for name, spec := range images {
		t.Run(name, func(t *testing.T) {
			in := filepath.Join(dir, name)
			if err := os.WriteFile(in, bmptest.Build(spec), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, s := range all(t) {
				for _, limit := range []int{0, 3, 300 << 10} {
					opt := options(2)
					opt.Stdout = &failingWriter{limit: limit}
					res := run(t, s, []job.Job{{Op: job.Compress, In: in, Out: fileio.Stdio}}, opt)[in]
					if !errors.Is(res.Err, errWriteFailed) && !(limit >= 300<<10 && name == "small.bmp" && res.Err == nil) ||
						res.Err != nil && !strings.HasPrefix(res.Err.Error(), "stdout: ") {
						t.Errorf("%s, %s, writes failing after %d bytes: got %v, want stdout: %v", s.Name(), name, limit, res.Err, errWriteFailed)
					}
				}
			}
		})
	}
}

// TestBrokenPipe: output to a pipe nobody reads fails the job with "stdout:
// broken pipe" under every strategy, though a child process dies of SIGPIPE.
func TestBrokenPipe(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in.bmp")
	os.WriteFile(in, bmptest.Build(bmptest.Spec{Width: 30, Height: 2, BitsPerPixel: 1, Palette: bmptest.BlackWhite, Pixel: func(x, y int) uint32 { return 1 }}), 0o644)
	for _, s := range all(t) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
		opt := options(2)
		opt.Stdout = w
		res := run(t, s, []job.Job{{Op: job.Compress, In: in, Out: fileio.Stdio}}, opt)[in]
		w.Close()
		if !errors.Is(res.Err, syscall.EPIPE) || !strings.HasPrefix(res.Err.Error(), "stdout: ") {
			t.Errorf("%s: got %v, want stdout: %v", s.Name(), res.Err, syscall.EPIPE)
		}
	}
}
