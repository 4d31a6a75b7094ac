package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/conformance"
	"github.com/rlec/rlec/internal/strategy"
	"github.com/rlec/rlec/internal/testkit"
)

// TestMain lets the test binary stand in for rlec when the process strategy
// re-executes it.
func TestMain(m *testing.M) {
	testkit.RunAsChild(mainWithSignals)
	selfCommand = testkit.Command
	os.Exit(m.Run())
}

type result struct {
	code           int
	stdout, stderr string
}

// rlec runs a command line in-process with stdin as its standard input.
func rlec(t *testing.T, stdin []byte, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	streams := &IOStreams{In: bytes.NewReader(stdin), Out: &out, ErrOut: &errOut}
	code := run(context.Background(), args, streams)
	return result{code, out.String(), errOut.String()}
}

const goldenDir = "../../testdata/golden"

func golden(t *testing.T, name string) (bmp, rle []byte) {
	t.Helper()
	bmp, err := os.ReadFile(filepath.Join(goldenDir, name+".bmp"))
	if err != nil {
		t.Fatal(err)
	}
	rle, err = os.ReadFile(filepath.Join(goldenDir, name+".rle"))
	if err != nil {
		t.Fatal(err)
	}
	return bmp, rle
}

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestUsageErrors runs each command line with a terminal as standard input,
// as when typed at a prompt: with no file named there is then no input.
func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"compress"}, "no input: name a file, or pipe one into standard input"},
		{[]string{"decompress", "-s", "serial"}, "no input"},
		{[]string{"verify"}, "no input"},
		{[]string{"info", "--json"}, "no input"},
		{[]string{"compress", "a", "b", "c"}, "accepts between 0 and 2 arg(s)"},
		{[]string{"compress-dir", "a"}, "accepts 2 arg(s)"},
		{[]string{"compress", "--bogus", "a.bmp"}, "unknown flag: --bogus"},
		{[]string{"compress", "--strategy", "threads", "a.bmp"}, `unknown strategy "threads" (valid: serial, rows, pool, process)`},
		{[]string{"compress-dir", "-s", "fibers", "a", "b"}, "valid: serial, rows, pool, process"},
		{[]string{"compress", "--jobs", "-1", "a.bmp"}, "--jobs must be 0 (the number of CPUs) or more, not -1"},
		{[]string{"squash", "a.bmp"}, `unknown command "squash"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			streams := &IOStreams{In: strings.NewReader("typed"), Out: &out, ErrOut: &errOut, InIsTerminal: true}
			code := run(context.Background(), tt.args, streams)
			if stderr := errOut.String(); code != exitUsage || !strings.Contains(stderr, tt.want) || !strings.HasPrefix(stderr, "rlec: ") {
				t.Errorf("rlec %v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, stderr, tt.want)
			}
			// The hint names the help of the command that was mistyped.
			help := "Run 'rlec --help' for usage."
			if tt.args[0] != "squash" {
				help = "Run 'rlec " + tt.args[0] + " --help' for usage."
			}
			if !strings.HasSuffix(errOut.String(), help+"\n") {
				t.Errorf("rlec %v: stderr %q, want it to end %q", tt.args, errOut.String(), help)
			}
		})
	}
}

func TestCompressEveryStrategy(t *testing.T) {
	bmp, want := golden(t, "checker")
	dir := t.TempDir()
	in := writeFile(t, filepath.Join(dir, "in.bmp"), bmp)
	for _, s := range strategy.Names() {
		out := filepath.Join(dir, s+".rle")
		if r := rlec(t, nil, "compress", "--strategy", s, "--jobs", "2", in, out); r.code != 0 || r.stderr != "" || r.stdout != "" {
			t.Fatalf("%s: %+v", s, r)
		}
		if got, _ := os.ReadFile(out); !bytes.Equal(got, want) {
			t.Errorf("%s: output differs from the golden file", s)
		}
	}
}

func TestRoundTripThroughFiles(t *testing.T) {
	dir := t.TempDir()
	sample, err := os.ReadFile("../../testdata/sample.bmp")
	if err != nil {
		t.Fatal(err)
	}
	in := writeFile(t, filepath.Join(dir, "page.bmp"), sample)
	if r := rlec(t, nil, "compress", in); r.code != 0 { // writes page.rle beside it
		t.Fatalf("compress: %+v", r)
	}
	if r := rlec(t, nil, "decompress", filepath.Join(dir, "page.rle"), filepath.Join(dir, "back.bmp")); r.code != 0 {
		t.Fatalf("decompress: %+v", r)
	}
	if r := rlec(t, nil, "compress", filepath.Join(dir, "back.bmp"), filepath.Join(dir, "again.rle")); r.code != 0 {
		t.Fatalf("compress again: %+v", r)
	}
	first, _ := os.ReadFile(filepath.Join(dir, "page.rle"))
	again, _ := os.ReadFile(filepath.Join(dir, "again.rle"))
	if len(first) == 0 || !bytes.Equal(first, again) {
		t.Fatal("compress, decompress, compress does not give back the same file")
	}
	back, _ := os.ReadFile(filepath.Join(dir, "back.bmp"))
	if !bytes.Equal(back[54:], sample[54:]) { // same palette and pixels; the header may differ only in resolution
		t.Fatal("decompress does not give back the sample's pixels")
	}
}

func TestStdio(t *testing.T) {
	bmp, want := golden(t, "width255")
	r := rlec(t, bmp, "compress", "-", "-")
	if r.code != 0 || r.stdout != string(want) {
		t.Fatalf("compress - -: exit %d, %d bytes out, stderr %q", r.code, len(r.stdout), r.stderr)
	}
	r = rlec(t, want, "decompress", "-")
	if r.code != 0 {
		t.Fatalf("decompress -: %+v", r)
	}
	if again := rlec(t, []byte(r.stdout), "compress", "-", "-", "-s", "process"); again.stdout != string(want) {
		t.Fatalf("compress of decompress via the process strategy differs: %q", again.stderr)
	}
}

// TestFilter: with no file named and standard input not a terminal, every
// command reads standard input, and compress and decompress write standard
// output, as gzip does in a pipeline.
func TestFilter(t *testing.T) {
	bmp, rle := golden(t, "width255")
	if r := rlec(t, bmp, "compress"); r.code != 0 || r.stdout != string(rle) {
		t.Fatalf("compress <in >out: exit %d, %d bytes out, stderr %q", r.code, len(r.stdout), r.stderr)
	}
	back := rlec(t, rle, "decompress", "-", "-")
	if r := rlec(t, rle, "decompress", "-s", "serial"); r.code != 0 || back.code != 0 || r.stdout != back.stdout {
		t.Fatalf("decompress <in >out: exit %d, %d bytes out, stderr %q; decompress - -: %d bytes", r.code, len(r.stdout), r.stderr, len(back.stdout))
	}
	tests := []struct {
		args       []string
		stdin      []byte
		code       int
		stdout     string
		stderrHead string
	}{
		{[]string{"verify"}, rle, 0, "stdin: OK\n", ""},
		{[]string{"verify", "-"}, rle, 0, "stdin: OK\n", ""},
		{[]string{"verify"}, rle[:40], 1, "", "rlec: stdin: byte 40: truncated"},
		{[]string{"info", "--json"}, rle, 0, `"file": "stdin"`, ""},
		{[]string{"info", "-"}, rle[:3], 1, "", "rlec: stdin: byte 3: file is 3 bytes, shorter than the 4-byte header"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := rlec(t, tt.stdin, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || !strings.HasPrefix(r.stderr, tt.stderrHead) {
				t.Errorf("rlec %v: exit %d, stdout %q, stderr %q; want exit %d, %q and %q", tt.args, r.code, r.stdout, r.stderr, tt.code, tt.stdout, tt.stderrHead)
			}
		})
	}
}

// TestBrokenPipe: when the reader of standard output goes away, rlec ends
// quietly with the status of a process killed by SIGPIPE, as gzip does,
// whichever strategy ran; any other failure to write it is reported.
func TestBrokenPipe(t *testing.T) {
	bmp, rle := golden(t, "width255")
	for _, s := range strategy.Names() {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
		var errOut bytes.Buffer
		streams := &IOStreams{In: bytes.NewReader(rle), Out: w, ErrOut: &errOut}
		code := run(context.Background(), []string{"decompress", "-s", s, "-", "-"}, streams)
		w.Close()
		if code != exitBrokenPipe || errOut.Len() != 0 {
			t.Errorf("%s, output to a closed pipe: exit %d, stderr %q; want exit %d, nothing said", s, code, errOut.String(), exitBrokenPipe)
		}

		errOut.Reset()
		streams = &IOStreams{In: bytes.NewReader(bmp), Out: failingWriter{}, ErrOut: &errOut}
		code = run(context.Background(), []string{"compress", "-s", s, "-", "-"}, streams)
		if code != exitFailure || !strings.Contains(errOut.String(), "stdout: disk on fire") {
			t.Errorf("%s, output failing: exit %d, stderr %q", s, code, errOut.String())
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestRefusesTerminal(t *testing.T) {
	bmp, _ := golden(t, "width1")
	var out, errOut bytes.Buffer
	streams := &IOStreams{In: bytes.NewReader(bmp), Out: &out, ErrOut: &errOut, OutIsTerminal: true}
	if code := run(context.Background(), []string{"compress", "-"}, streams); code != exitFailure || out.Len() != 0 ||
		!strings.Contains(errOut.String(), "terminal") {
		t.Fatalf("exit %d, %d bytes written, stderr %q", code, out.Len(), errOut.String())
	}
}

func TestErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.bmp")
	bad := writeFile(t, filepath.Join(dir, "bad.bmp"), []byte("BMnot really"))
	badRLE := writeFile(t, filepath.Join(dir, "bad.rle"), []byte{3, 0, 1, 0, 0x83, 0x01})
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"compress", missing, filepath.Join(dir, "o1.rle")}, "rlec: " + missing + ": no such file or directory\n"},
		{[]string{"compress", bad, filepath.Join(dir, "o2.rle")}, "rlec: " + bad + ": BMP: truncated in the file header: unexpected EOF\n"},
		{[]string{"decompress", badRLE, filepath.Join(dir, "o3.bmp")}, "rlec: " + badRLE + ": byte 5: trailing data: 1 byte after the last row\n"},
		{[]string{"compress", "-s", "process", bad, filepath.Join(dir, "o4.rle")}, "rlec: " + bad + ": BMP: truncated in the file header: unexpected EOF\n"},
		// A BMP given to decompress is named as the likely mistake.
		{[]string{"decompress", bad, filepath.Join(dir, "o5.bmp")}, "rlec: " + bad + ": byte 5: run of 32 pixels passes the end of its chunk, which has 11 left (row 0, pixel 116) (the file is a BMP image; rlec compress takes those)\n"},
		{[]string{"decompress", "-s", "process", bad, filepath.Join(dir, "o6.bmp")}, "(the file is a BMP image; rlec compress takes those)\n"},
		{[]string{"verify", bad}, "(the file is a BMP image; rlec compress takes those)\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := rlec(t, nil, tt.args...)
			if r.code != exitFailure || !strings.HasSuffix(r.stderr, tt.want) || !strings.HasPrefix(r.stderr, "rlec: ") {
				t.Errorf("rlec %v: exit %d, stderr %q; want 1 and %q", tt.args, r.code, r.stderr, tt.want)
			}
		})
	}
	if names := testkit.ListDir(t, dir); len(names) != 2 { // bad.bmp and bad.rle
		t.Errorf("failed runs left files behind: %v", names)
	}
}

func TestNoClobber(t *testing.T) {
	bmp, want := golden(t, "allwhite")
	dir := t.TempDir()
	in := writeFile(t, filepath.Join(dir, "in.bmp"), bmp)
	out := writeFile(t, filepath.Join(dir, "out.rle"), []byte("keep me"))
	for _, s := range strategy.Names() {
		r := rlec(t, nil, "compress", "-s", s, in, out)
		if r.code != exitFailure || r.stderr != "rlec: "+out+": already exists (use --force to replace it)\n" {
			t.Errorf("%s: %+v", s, r)
		}
		if got, _ := os.ReadFile(out); string(got) != "keep me" {
			t.Fatalf("%s: the existing output was touched", s)
		}
	}
	if r := rlec(t, nil, "compress", "-f", in, out); r.code != 0 {
		t.Fatalf("--force: %+v", r)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, want) {
		t.Fatal("--force did not replace the output")
	}
	if names := testkit.ListDir(t, dir); len(names) != 2 {
		t.Errorf("files left behind: %v", names)
	}
}

// TestSameFile: an output that is the input, however named, is refused even
// with -f, and the input survives, as cp refuses to copy a file onto itself.
func TestSameFile(t *testing.T) {
	bmp, rle := golden(t, "checker")
	dir := t.TempDir()
	t.Chdir(dir)
	// The image has no extension: compress refuses an output named as an
	// image before it looks at what it is.
	writeFile(t, "page", bmp)
	writeFile(t, "page.rle", rle)
	if err := os.Mkdir("sub", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Link("page", "hard"); err != nil {
		t.Fatal(err)
	}
	if err := os.Link("page.rle", "same.bmp"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("page.rle", "soft.bmp"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"compress", "-f", "page", "page"},
		{"compress", "-f", "page", "./page"},
		{"compress", "-f", "page", "sub/../page"},
		{"compress", "-f", "page", filepath.Join(dir, "page")},
		{"compress", "-f", "-s", "process", "page", "hard"},
		{"decompress", "-f", "page.rle", "same.bmp"},
		{"decompress", "-f", "page.rle", "./soft.bmp"},
	} {
		r := rlec(t, nil, args...)
		if r.code != exitFailure || !strings.HasSuffix(r.stderr, ": input and output are the same file\n") {
			t.Errorf("rlec %v: exit %d, stderr %q; want 1 and the same file refused", args, r.code, r.stderr)
		}
	}
	// Standard input or output redirected from or to the other file: rlec
	// decompress -f - page.rle < page.rle, rlec compress page.bmp - >> page.bmp.
	for _, tc := range []struct {
		args          []string
		stdin, stdout string
		flag          int
	}{
		{[]string{"decompress", "-f", "-", "same.bmp"}, "page.rle", "", 0},
		{[]string{"decompress", "-f", "-s", "process", "-", "soft.bmp"}, "page.rle", "", 0},
		{[]string{"compress", "-f", "page", "-"}, "", "page", os.O_APPEND},
	} {
		streams := &IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: new(bytes.Buffer)}
		if tc.stdin != "" {
			f, err := os.Open(tc.stdin)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			streams.In = f
		}
		if tc.stdout != "" {
			f, err := os.OpenFile(tc.stdout, os.O_WRONLY|tc.flag, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			streams.Out = f
		}
		code := run(context.Background(), tc.args, streams)
		if stderr := streams.ErrOut.(*bytes.Buffer).String(); code != exitFailure || !strings.HasSuffix(stderr, ": input and output are the same file\n") {
			t.Errorf("rlec %v: exit %d, stderr %q; want 1 and the same file refused", tc.args, code, stderr)
		}
	}
	for name, want := range map[string][]byte{"page": bmp, "hard": bmp, "page.rle": rle, "same.bmp": rle} {
		if got, err := os.ReadFile(name); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s was changed", name)
		}
	}
	if names := testkit.ListDir(t, "."); len(names) != 6 {
		t.Errorf("files left behind: %v", names)
	}
}

// TestCompressDir: every *.bmp of any case, links followed, is compressed;
// a bad file fails alone with exit status 1.
func TestCompressDir(t *testing.T) {
	in := t.TempDir()
	want := map[string][]byte{}
	for _, name := range []string{"width127", "checker", "topdown"} {
		bmp, rle := golden(t, name)
		writeFile(t, filepath.Join(in, name+".bmp"), bmp)
		want[name+".rle"] = rle
	}
	bmp, rle := golden(t, "allblack")
	writeFile(t, filepath.Join(in, "SHOUT.BMP"), bmp)
	want["SHOUT.rle"] = rle
	target, _ := filepath.Abs(filepath.Join(goldenDir, "width1.bmp"))
	if err := os.Symlink(target, filepath.Join(in, "linked.bmp")); err != nil {
		t.Fatal(err)
	}
	_, want["linked.rle"] = golden(t, "width1")
	writeFile(t, filepath.Join(in, "notes.txt"), []byte("not an image"))
	os.Mkdir(filepath.Join(in, "folder.bmp"), 0o755)
	writeFile(t, filepath.Join(in, "broken.bmp"), []byte("BM\x00"))
	for _, s := range strategy.Names() {
		out := filepath.Join(t.TempDir(), "new", "out")
		r := rlec(t, nil, "compress-dir", "-q", "-s", s, "-j", "2", in, out)
		if r.code != exitFailure || r.stderr != "rlec: "+filepath.Join(in, "broken.bmp")+": BMP: truncated in the file header: unexpected EOF\n" {
			t.Errorf("%s: exit %d, stderr %q", s, r.code, r.stderr)
		}
		names := testkit.ListDir(t, out)
		if len(names) != len(want) {
			t.Errorf("%s: wrote %v, want %d files", s, names, len(want))
		}
		for name, data := range want {
			if got, err := os.ReadFile(filepath.Join(out, name)); err != nil || !bytes.Equal(got, data) {
				t.Errorf("%s: %s differs from its golden file (%v)", s, name, err)
			}
		}
	}
}

// TestCompressDirConformance: the conformance files through compress-dir
// give the expected bytes under every strategy.
func TestCompressDirConformance(t *testing.T) {
	dir := conformance.Dir(t) // skips when the shared data is absent
	for _, set := range [][2]string{{"book", "book/expected"}, {"bmpsuite/good", "bmpsuite/expected"}} {
		expected, _ := filepath.Glob(filepath.Join(dir, set[1], "*.rle"))
		for _, s := range strategy.Names() {
			out := t.TempDir()
			if r := rlec(t, nil, "compress-dir", "-f", "-s", s, filepath.Join(dir, set[0]), out); r.code != 0 {
				t.Fatalf("%s on %s: %+v", s, set[0], r)
			}
			for _, e := range expected {
				want, _ := os.ReadFile(e)
				if got, err := os.ReadFile(filepath.Join(out, filepath.Base(e))); err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s: %s differs from the expected output (%v)", s, filepath.Base(e), err)
				}
			}
		}
	}
}

// benchJSON is what bench --json prints: a set of results per direction.
type benchJSON struct {
	Runs       int           `json:"runs"`
	Identical  bool          `json:"identical"`
	Compress   *benchJSONSet `json:"compress"`
	Decompress *benchJSONSet `json:"decompress"`
}

type benchJSONSet struct {
	Files   int   `json:"files"`
	Bytes   int64 `json:"bytes"`
	Results []struct {
		Strategy string  `json:"strategy"`
		Jobs     int     `json:"jobs"`
		Speedup  float64 `json:"speedup_over_serial"`
	} `json:"results"`
}

func TestBench(t *testing.T) {
	r := rlec(t, nil, "bench", "--runs", "1", "--json", goldenDir)
	if r.code != 0 {
		t.Fatalf("bench: %+v", r)
	}
	var report benchJSON
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("bench --json printed %q: %v", r.stdout, err)
	}
	c := report.Compress
	if c == nil || report.Decompress != nil || c.Files != 12 || !report.Identical || len(c.Results) < 4 ||
		c.Results[0].Strategy != "serial" || c.Results[0].Speedup != 1 || c.Results[0].Jobs != 0 || c.Results[2].Jobs != 1 {
		t.Fatalf("unexpected report: %+v", report)
	}
	// One table per direction, "-" where --jobs does not apply.
	r = rlec(t, nil, "bench", "--runs", "1", filepath.Join(goldenDir, "checker.bmp"), filepath.Join(goldenDir, "checker.rle"), filepath.Join(goldenDir, "topdown.rle"))
	if r.code != 0 || !strings.HasPrefix(r.stdout, "compress: 1 file") || !strings.Contains(r.stdout, "\ndecompress: 2 files") ||
		!strings.Contains(r.stdout, "every strategy wrote byte-identical files") || !regexp.MustCompile(`serial +- `).MatchString(r.stdout) {
		t.Fatalf("bench tables: %+v", r)
	}
	// Throughput counts the BMP read or written, both ways.
	bmp, err := os.Stat(filepath.Join(goldenDir, "checker.bmp"))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"checker.bmp", "checker.rle"} {
		r := rlec(t, nil, "bench", "--runs", "1", "--json", filepath.Join(goldenDir, in))
		var report benchJSON
		if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
			t.Fatal(err)
		}
		set := report.Compress
		if set == nil {
			set = report.Decompress
		}
		if set == nil || set.Bytes != bmp.Size() {
			t.Errorf("bench %s counted %+v, want the BMP's %d bytes", in, set, bmp.Size())
		}
	}
}
