package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// tree writes a folder of golden BMPs, some in subfolders, and returns it
// with the golden output each relative path should give.
func tree(t *testing.T) (string, map[string][]byte) {
	t.Helper()
	root := t.TempDir()
	want := map[string][]byte{}
	names := []string{"width1", "width126", "width127", "width128", "width254", "width255", "height1", "allwhite", "allblack", "checker", "whiteblack", "topdown"}
	for i, name := range names {
		rel := name + ".bmp"
		switch i % 3 {
		case 1:
			rel = filepath.Join("a", rel)
		case 2:
			rel = filepath.Join("a", "b", rel)
		}
		bmp, rle := golden(t, name)
		os.MkdirAll(filepath.Dir(filepath.Join(root, rel)), 0o755)
		writeFile(t, filepath.Join(root, rel), bmp)
		want[strings.TrimSuffix(rel, ".bmp")+".rle"] = rle
	}
	return root, want
}

// files returns every regular file below dir, by path relative to it.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	got := map[string][]byte{}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			data, _ := os.ReadFile(path)
			rel, _ := filepath.Rel(dir, path)
			got[rel] = data
		}
		return nil
	})
	return got
}

func sameFiles(t *testing.T, got, want map[string][]byte) {
	t.Helper()
	for name, data := range want {
		if !bytes.Equal(got[name], data) {
			t.Errorf("%s: wrong or missing", name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: not expected", name)
		}
	}
}

func TestRecursiveRoundTrip(t *testing.T) {
	in, want := tree(t)
	out, back, again := t.TempDir(), t.TempDir(), t.TempDir()
	if r := rlec(t, nil, "compress-dir", "-q", "-r", in, out); r.code != 0 {
		t.Fatalf("compress-dir -r: %+v", r)
	}
	sameFiles(t, files(t, out), want)
	if r := rlec(t, nil, "decompress-dir", "-q", "-r", out, back); r.code != 0 {
		t.Fatalf("decompress-dir -r: %+v", r)
	}
	if r := rlec(t, nil, "compress-dir", "-q", "-r", "-s", "process", back, again); r.code != 0 {
		t.Fatalf("compress-dir of the decompressed tree: %+v", r)
	}
	sameFiles(t, files(t, again), want)

	top := t.TempDir() // without -r only the top folder counts
	if r := rlec(t, nil, "compress-dir", "-q", in, top); r.code != 0 {
		t.Fatalf("compress-dir: %+v", r)
	}
	if got := files(t, top); len(got) != 4 {
		t.Errorf("without -r: wrote %d files, want the 4 at the top", len(got))
	}
}

func TestSkipExisting(t *testing.T) {
	in, want := tree(t)
	out := t.TempDir()
	if r := rlec(t, nil, "compress-dir", "-q", "-r", in, out); r.code != 0 {
		t.Fatalf("first run: %+v", r)
	}
	// Run again as it was: every output exists, and the last line says
	// what to do about it.
	r := rlec(t, nil, "compress-dir", "-r", in, out)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if r.code != exitFailure || len(lines) != len(want)+2 || strings.Count(r.stderr, "already exists") != len(want) ||
		lines[len(lines)-1] != "rlec: 12 outputs exist already: --skip-existing leaves them and does the rest, -f replaces them" {
		t.Errorf("rerun: %+v", r)
	}
	// One output is stale (its input changed since), one was lost in a crash.
	old := time.Now().Add(-time.Hour)
	os.Chtimes(filepath.Join(out, "checker.rle"), old, old)
	writeFile(t, filepath.Join(out, "checker.rle"), []byte("stale"))
	os.Chtimes(filepath.Join(out, "checker.rle"), old, old)
	os.Remove(filepath.Join(out, "a", "width126.rle"))
	fresh := filepath.Join(out, "allblack.rle") // a fresh output is left alone
	writeFile(t, fresh, []byte("fresh, left alone"))

	r = rlec(t, nil, "compress-dir", "-r", "--skip-existing", "--json", in, out)
	if r.code != 0 {
		t.Fatalf("--skip-existing: %+v", r)
	}
	var sum summary
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
		t.Fatalf("--json printed %q: %v", r.stdout, err)
	}
	if sum.Files != 2 || sum.Skipped != 10 || sum.Failed != 0 {
		t.Errorf("summary %+v, want 2 files done and 10 skipped", sum)
	}
	if !strings.Contains(r.stderr, "2 files") || !strings.Contains(r.stderr, "10 skipped") {
		t.Errorf("summary line %q", r.stderr)
	}
	want["allblack.rle"] = []byte("fresh, left alone")
	sameFiles(t, files(t, out), want)
}

// TestFilesFrom: listed files are taken as a shell takes them, relative to
// the working folder or absolute, as find prints them, and mirrored by
// their path relative to IN_DIR; a listed file that is missing or outside
// IN_DIR fails alone.
func TestFilesFrom(t *testing.T) {
	in, want := tree(t)
	t.Chdir(filepath.Dir(in))
	base := filepath.Base(in)
	listed := []string{
		filepath.Join(base, "checker.bmp"),
		"./" + filepath.Join(base, "a", "b", "..", "b", "width127.bmp"),
		filepath.Join(in, "a", "width126.bmp"),
	}
	expect := map[string][]byte{}
	for _, rel := range []string{"checker.rle", filepath.Join("a", "b", "width127.rle"), filepath.Join("a", "width126.rle")} {
		expect[rel] = want[rel]
	}
	for _, tc := range []struct {
		name string
		args []string
		list string
	}{
		{"lines from stdin", []string{"--files-from", "-"}, strings.Join(listed, "\n") + "\n"},
		{"NUL-separated from stdin", []string{"--files-from", "-", "-0"}, strings.Join(listed, "\x00")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"compress-dir", "-q"}, append(tc.args, in, out)...)
			if r := rlec(t, []byte(tc.list), args...); r.code != 0 {
				t.Fatalf("%s: %+v", tc.name, r)
			}
			sameFiles(t, files(t, out), expect)
		})
	}
	listFile := writeFile(t, filepath.Join(t.TempDir(), "list"), []byte(listed[0]+"\n"))
	out := t.TempDir()
	if r := rlec(t, nil, "compress-dir", "-q", "--files-from", listFile, base, out); r.code != 0 || len(files(t, out)) != 1 {
		t.Fatalf("list from a file, IN_DIR relative: %+v", r)
	}
	out = t.TempDir()
	outside := writeFile(t, filepath.Join(filepath.Dir(in), "escape.bmp"), want["checker.rle"])
	list := strings.Join([]string{listed[0], outside, filepath.Join(base, "missing.bmp"), "checker.bmp"}, "\n")
	r := rlec(t, []byte(list), "compress-dir", "--files-from", "-", in, out)
	for _, msg := range []string{outside + ": not inside " + in, filepath.Join(base, "missing.bmp") + ": no such file", "checker.bmp: not inside " + in} {
		if !strings.Contains(r.stderr, msg) {
			t.Errorf("stderr does not say %q:\n%s", msg, r.stderr)
		}
	}
	if r.code != exitFailure || !strings.Contains(r.stderr, "4 files") || !strings.Contains(r.stderr, "3 failed") {
		t.Errorf("%+v, want exit 1 and 3 of 4 failed", r)
	}
	sameFiles(t, files(t, out), map[string][]byte{"checker.rle": want["checker.rle"]})
}

// TestShardsTogetherEqualOneRun: N shards run concurrently into one folder
// write exactly what one run writes, each file once.
func TestShardsTogetherEqualOneRun(t *testing.T) {
	in, want := tree(t)
	single := t.TempDir()
	if r := rlec(t, nil, "compress-dir", "-q", "-r", in, single); r.code != 0 {
		t.Fatalf("single run: %+v", r)
	}
	sameFiles(t, files(t, single), want)
	for _, n := range []int{2, 3, 5} {
		out := t.TempDir()
		var wg sync.WaitGroup
		counts := make([]int, n)
		for k := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rlec(t, nil, "compress-dir", "-r", "--json", "--shard", fmt.Sprintf("%d/%d", k, n), "-s", []string{"serial", "pool", "process"}[k%3], in, out)
				if r.code != 0 {
					t.Errorf("shard %d/%d: %+v", k, n, r)
				}
				var sum summary
				json.Unmarshal([]byte(r.stdout), &sum)
				counts[k] = sum.Files
			}()
		}
		wg.Wait()
		sameFiles(t, files(t, out), files(t, single))
		total := 0
		for _, c := range counts {
			total += c
		}
		if total != len(want) {
			t.Errorf("%d shards converted %d files in all (%v), want each of %d once", n, total, counts, len(want))
		}
	}
}

func TestBatchFlagErrors(t *testing.T) {
	in, _ := tree(t)
	for _, args := range [][]string{
		{"--shard", "3/3"}, {"--shard", "-1/2"}, {"--shard", "1"}, {"--shard", "a/b"},
		{"--progress", "sometimes"}, {"-0"},
	} {
		r := rlec(t, nil, append(append([]string{"compress-dir"}, args...), in, t.TempDir())...)
		if r.code != exitUsage {
			t.Errorf("%v: exit %d, stderr %q; want 2", args, r.code, r.stderr)
		}
	}
	if r := rlec(t, nil, "compress-dir", filepath.Join(in, "nope"), t.TempDir()); r.code != exitFailure || !strings.Contains(r.stderr, "no such file") {
		t.Errorf("missing IN_DIR: %+v", r)
	}
}

func TestProgressAndQuiet(t *testing.T) {
	in, _ := tree(t)
	r := rlec(t, nil, "compress-dir", "--progress", "always", in, t.TempDir())
	if r.code != 0 || !strings.Contains(r.stderr, "/4 files") || !strings.Contains(r.stderr, "rlec: 4 files") {
		t.Errorf("--progress always: %+v", r)
	}
	r = rlec(t, nil, "compress-dir", in, t.TempDir()) // stderr is no terminal: no bar
	if r.code != 0 || strings.Contains(r.stderr, "/4 files") || !strings.HasPrefix(r.stderr, "rlec: 4 files") {
		t.Errorf("auto on a pipe: %+v", r)
	}
	if r := rlec(t, nil, "compress-dir", "-q", "--progress", "always", in, t.TempDir()); r.code != 0 || r.stderr != "" {
		t.Errorf("-q: %+v", r)
	}
}

func TestInfoAndVerify(t *testing.T) {
	_, checker := golden(t, "checker")
	dir := t.TempDir()
	good := writeFile(t, filepath.Join(dir, "good.rle"), checker)
	bad := writeFile(t, filepath.Join(dir, "bad.rle"), []byte{5, 0, 1, 0, 0x80})
	loose := writeFile(t, filepath.Join(dir, "loose.rle"), []byte{5, 0, 1, 0, 0x02, 0x03})

	r := rlec(t, nil, "info", "--json", good, bad)
	if r.code != exitFailure || r.stderr != "rlec: "+bad+": byte 4: run byte 0x80 has length 0 (row 0, pixel 0)\n" {
		t.Fatalf("info: %+v", r)
	}
	var infos []fileInfo
	if err := json.Unmarshal([]byte(r.stdout), &infos); err != nil || len(infos) != 1 {
		t.Fatalf("info --json printed %q: %v", r.stdout, err)
	}
	if i := infos[0]; i.Width != 131 || i.Height != 9 || i.Bytes != int64(len(checker)) || i.Pixels != 1179 || i.Chunks != 18 || i.Runs != int64(len(checker)-4) {
		t.Errorf("info: %+v", i)
	}
	if r := rlec(t, nil, "info", good); r.code != 0 || !strings.Contains(r.stdout, "131") || !strings.Contains(r.stdout, good) {
		t.Errorf("info table: %+v", r)
	}

	r = rlec(t, nil, "verify", good, loose, bad)
	if r.code != exitFailure {
		t.Errorf("verify with a bad file: exit %d", r.code)
	}
	if want := good + ": OK\n" + loose + ": OK (not canonical)\n"; r.stdout != want {
		t.Errorf("verify printed %q, want %q", r.stdout, want)
	}
	if !strings.Contains(r.stderr, loose+": byte 5: not canonical: 1 run continues the run before") || !strings.Contains(r.stderr, bad+": byte 4") {
		t.Errorf("verify stderr %q", r.stderr)
	}
	if r := rlec(t, nil, "verify", "-q", good, loose); r.code != 0 || r.stdout != "" || r.stderr != "" {
		t.Errorf("verify -q of sound files: %+v", r)
	}
}

func TestVersionCompletion(t *testing.T) {
	if r := rlec(t, nil, "--version"); r.code != 0 || !strings.HasPrefix(r.stdout, "rlec version ") {
		t.Errorf("--version: %+v", r)
	}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		if r := rlec(t, nil, "completion", shell); r.code != 0 || !strings.Contains(r.stdout, "rlec") {
			t.Errorf("completion %s: exit %d", shell, r.code)
		}
	}
}

// TestClashingOutputs: two inputs that would make the same output both fail,
// with or without --force and in whichever shard, and the others are written.
func TestClashingOutputs(t *testing.T) {
	in, want := tree(t)
	bmp, _ := golden(t, "checker")
	writeFile(t, filepath.Join(in, "checker.BMP"), bmp)
	delete(want, "checker.rle")
	for _, args := range [][]string{{}, {"-f"}, {"-s", "process"}} {
		out := t.TempDir()
		r := rlec(t, nil, append(append([]string{"compress-dir", "-q", "-r"}, args...), in, out)...)
		if r.code != exitFailure || strings.Count(r.stderr, "checker.rle is the output of") != 2 {
			t.Errorf("%v: %+v, want exit 1 and both checker files refused", args, r)
		}
		sameFiles(t, files(t, out), want)
	}
	out := t.TempDir()
	var stderr string
	for k := range 2 {
		r := rlec(t, nil, "compress-dir", "-q", "-r", "--shard", fmt.Sprintf("%d/2", k), in, out)
		stderr += r.stderr
	}
	if n := strings.Count(stderr, "checker.rle is the output of"); n != 2 {
		t.Errorf("2 shards reported the clash %d times, want once for each file:\n%s", n, stderr)
	}
	sameFiles(t, files(t, out), want)
	// An output that another listed file is read from.
	out = t.TempDir()
	writeFile(t, filepath.Join(out, "checker.bmp"), bmp)
	writeFile(t, filepath.Join(out, "checker.rle"), bmp) // a BMP, misnamed
	list := filepath.Join(out, "checker.bmp") + "\n" + filepath.Join(out, "checker.rle") + "\n"
	r := rlec(t, []byte(list), "compress-dir", "-q", "-f", "--files-from", "-", out, out)
	if r.code != exitFailure || !strings.Contains(r.stderr, "checker.bmp: its output "+filepath.Join(out, "checker.rle")+" is an input of this batch too") {
		t.Errorf("an output that is an input: %+v", r)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "checker.rle")); !bytes.Equal(got, bmp) {
		t.Errorf("the input checker.rle was replaced")
	}
}

// TestInDirThroughLink: IN_DIR named by a link to a folder is the folder,
// as it is to ls; it used to give "0 files" and exit 0.
func TestInDirThroughLink(t *testing.T) {
	in, want := tree(t)
	link := filepath.Join(t.TempDir(), "scans")
	if err := os.Symlink(in, link); err != nil {
		t.Skipf("cannot make a link: %v", err)
	}
	out := t.TempDir()
	if r := rlec(t, nil, "compress-dir", "-q", "-r", link, out); r.code != 0 {
		t.Fatalf("compress-dir -r through a link: %+v", r)
	}
	sameFiles(t, files(t, out), want)
	out = t.TempDir()
	if r := rlec(t, nil, "compress-dir", "-q", link, out); r.code != 0 || len(files(t, out)) != 4 {
		t.Errorf("compress-dir through a link: %+v, %d files, want the 4 directly inside", r, len(files(t, out)))
	}
}

// TestEmptyFolder: a folder with nothing to convert says so, and is not a
// failure, as find finding nothing is not.
func TestEmptyFolder(t *testing.T) {
	in := t.TempDir()
	writeFile(t, filepath.Join(in, "notes.txt"), []byte("not an image"))
	r := rlec(t, nil, "compress-dir", in, t.TempDir())
	if r.code != 0 || !strings.Contains(r.stderr, in+": no files to compress (named *.bmp") {
		t.Errorf("%+v", r)
	}
	if r := rlec(t, nil, "compress-dir", "-q", in, t.TempDir()); r.code != 0 || r.stderr != "" {
		t.Errorf("-q: %+v", r)
	}
}
