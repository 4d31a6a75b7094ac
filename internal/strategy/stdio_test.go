package strategy_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/strategy"
)

// page is an image as a BMP file and as the .rle file serial makes of it,
// with the BMP serial makes of that in turn.
type page struct {
	bmpPath, rlePath string
	bmp, rle, back   []byte
}

func newPage(t *testing.T, width, height int) page {
	t.Helper()
	dir := t.TempDir()
	p := page{bmpPath: filepath.Join(dir, "page.bmp"), rlePath: filepath.Join(dir, "page.rle")}
	p.bmp = bmptest.Build(bmptest.Spec{Width: width, Height: height, BitsPerPixel: 1, Palette: bmptest.BlackWhite,
		Pixel: func(x, y int) uint32 { return uint32((x/7 + y/3) & 1) }})
	if err := os.WriteFile(p.bmpPath, p.bmp, 0o644); err != nil {
		t.Fatal(err)
	}
	p.rle = compressAll(t, strategy.Serial{}, []string{p.bmpPath}, t.TempDir(), options(1))[p.bmpPath]
	if err := os.WriteFile(p.rlePath, p.rle, 0o644); err != nil {
		t.Fatal(err)
	}
	p.back = convertAll(t, strategy.Serial{}, job.Decompress, []string{p.rlePath}, t.TempDir(), options(1))[p.rlePath]
	return p
}

// conversion is a job on a page: its input, and the output it must give.
type conversion struct {
	op         job.Op
	data, want []byte
}

// conversions are the page's two jobs: compressing its BMP and
// decompressing its .rle.
func (p page) conversions() []conversion {
	return []conversion{{job.Compress, p.bmp, p.rle}, {job.Decompress, p.rle, p.back}}
}

// TestRegularStdin: standard input redirected from a file is read in place,
// from its current offset, by every strategy, and left at its end, as
// reading it through would leave it; a pipe is read as before.
func TestRegularStdin(t *testing.T) {
	dir := t.TempDir()
	pg := newPage(t, 300, 200)
	for _, tc := range pg.conversions() {
		for _, skip := range []int{0, 5} {
			path := filepath.Join(dir, "stdin")
			if err := os.WriteFile(path, append(bytes.Repeat([]byte("x"), skip), tc.data...), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, s := range all(t) {
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := f.Seek(int64(skip), io.SeekStart); err != nil {
					t.Fatal(err)
				}
				var out bytes.Buffer
				opt := options(2)
				opt.Stdin, opt.Stdout = f, &out
				res := run(t, s, []job.Job{{Op: tc.op, In: fileio.Stdio, Out: fileio.Stdio}}, opt)[fileio.Stdio]
				if res.Err != nil || !bytes.Equal(out.Bytes(), tc.want) {
					t.Errorf("%v, %s, from offset %d: %v, %d bytes, want %d bytes", tc.op, s.Name(), skip, res.Err, out.Len(), len(tc.want))
				}
				if at, _ := f.Seek(0, io.SeekCurrent); at != int64(skip+len(tc.data)) {
					t.Errorf("%v, %s: standard input left at %d, want its end, %d", tc.op, s.Name(), at, skip+len(tc.data))
				}
				f.Close()
			}
		}
		// A pipe, which cannot be read in place.
		if out, res := convertPipe(t, strategy.Pool{}, tc.op, tc.data); res.Err != nil || !bytes.Equal(out, tc.want) {
			t.Errorf("%v from a pipe: %v, %d bytes, want %d", tc.op, res.Err, len(out), len(tc.want))
		}
	}
}

// convertPipe runs one job under s that reads data from a pipe on standard
// input and writes standard output, and returns what it wrote.
func convertPipe(t *testing.T, s strategy.Strategy, op job.Op, data []byte) ([]byte, job.Result) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() { w.Write(data); w.Close() }()
	var out bytes.Buffer
	opt := options(2)
	opt.Stdin, opt.Stdout = r, &out
	res := run(t, s, []job.Job{{Op: op, In: fileio.Stdio, Out: fileio.Stdio}}, opt)[fileio.Stdio]
	return out.Bytes(), res
}

// TestRegularStdout: standard output redirected to a file is written at
// offsets when it starts at offset 0 (>), and as a stream after other
// output or in append mode (>>); either way the file holds what a pipe would
// get, in place, and its offset is left after it, so that what the shell
// writes next follows it.
func TestRegularStdout(t *testing.T) {
	dir := t.TempDir()
	// Several of decompression's chunks (chunkSize), so that some are
	// written before a bad row is met.
	pg := newPage(t, 3000, 1000)
	bmp, rle := pg.bmp, pg.rle
	// Inputs that fail, after some of the output could be written.
	badRLE := bytes.Clone(rle)
	badRLE[len(badRLE)*3/4] = 0x80 // a run of length 0, three quarters in
	badRLEFile := filepath.Join(dir, "bad.rle")
	if err := os.WriteFile(badRLEFile, badRLE, 0o644); err != nil {
		t.Fatal(err)
	}
	shortBMP := filepath.Join(dir, "short.bmp")
	if err := os.WriteFile(shortBMP, bmp[:len(bmp)-100], 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		flag   int    // how the shell opens the file
		before string // what the file holds, and was written, before rlec
		stale  string // what it holds after that, not written (1<>)
	}{
		{"new file (>)", os.O_TRUNC, "", ""},
		{"after other output", os.O_TRUNC, "header\n", ""},
		{"append mode (>>)", os.O_APPEND, "earlier\n", ""},
		{"over an old file (1<>)", 0, "", "an old file's bytes\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, op := range []struct {
				op   job.Op
				in   string
				want []byte
			}{
				{job.Compress, pg.bmpPath, rle},
				{job.Decompress, pg.rlePath, pg.back},
				{job.Compress, shortBMP, nil}, // nil: must fail, writing nothing
				{job.Decompress, badRLEFile, nil},
			} {
				for _, s := range all(t) {
					path := filepath.Join(dir, "stdout")
					if err := os.WriteFile(path, []byte(tc.before+tc.stale), 0o644); err != nil {
						t.Fatal(err)
					}
					f, err := os.OpenFile(path, os.O_WRONLY|tc.flag, 0)
					if err != nil {
						t.Fatal(err)
					}
					if tc.flag != os.O_APPEND {
						f.WriteString(tc.before)
					}
					opt := options(2)
					opt.Stdout = f
					res := run(t, s, []job.Job{{Op: op.op, In: op.in, Out: fileio.Stdio}}, opt)[op.in]
					f.WriteString("next\n") // what the shell writes next
					f.Close()
					got, _ := os.ReadFile(path)
					want := overlay(tc.before+tc.stale, len(tc.before), string(op.want)+"next\n")
					// (The process strategy's child writes standard output itself,
					// uncounted.)
					if op.want == nil {
						if res.Err == nil || string(got) != want {
							t.Errorf("%s, %v of a bad file, %s: error %v, %q written; want an error and %q", tc.name, op.op, s.Name(), res.Err, got, want)
						}
						continue
					}
					if res.Err != nil || string(got) != want || s.Name() != "process" && res.OutBytes != int64(len(op.want)) {
						t.Errorf("%s, %v, %s: %v, %d bytes (reported %d), want %d", tc.name, op.op, s.Name(), res.Err, len(got), res.OutBytes, len(want))
					}
				}
			}
		})
	}
}

// overlay is old with s written over it at off.
func overlay(old string, off int, s string) string {
	if end := off + len(s); end < len(old) {
		return old[:off] + s + old[end:]
	}
	return old[:off] + s
}

// TestPipeInput: inputs read from a pipe, larger than the blocks a stream is
// read into (streamInput), convert as the files do, under every strategy.
func TestPipeInput(t *testing.T) {
	pg := newPage(t, 3000, 3000)
	for _, tc := range pg.conversions() {
		if len(tc.data) <= 1<<20 {
			t.Fatalf("%v: the input is %d bytes, too few to span blocks", tc.op, len(tc.data))
		}
		for _, s := range all(t) {
			if out, res := convertPipe(t, s, tc.op, tc.data); res.Err != nil || !bytes.Equal(out, tc.want) {
				t.Errorf("%v, %s, from a pipe: %v, %d bytes, want %d", tc.op, s.Name(), res.Err, len(out), len(tc.want))
			}
		}
	}
}
