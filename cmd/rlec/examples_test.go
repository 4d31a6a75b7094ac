package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// shell returns a command that runs script with sh in dir, where rlec on
// the PATH is this test binary standing in for it.
func shell(t *testing.T, dir, script string) *exec.Cmd {
	t.Helper()
	bin := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	wrapper := "#!/bin/sh\nRLEC_TEST_CHILD=1 GORACE=atexit_sleep_ms=0 exec '" + exe + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "rlec"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return cmd
}

// TestHelpExamples runs every example of compress-dir's and
// decompress-dir's help as it is printed, in a folder holding in/, and
// checks that each converts every file of the tree.
func TestHelpExamples(t *testing.T) {
	root := newRootCmd(&IOStreams{})
	for _, name := range []string{"compress-dir", "decompress-dir"} {
		cmd, _, err := root.Find([]string{name})
		if err != nil {
			t.Fatal(err)
		}
		for _, example := range strings.Split(strings.TrimSpace(cmd.Example), "\n") {
			example = strings.TrimSpace(example)
			t.Run(example, func(t *testing.T) {
				dir := t.TempDir()
				in, want := tree(t)
				if name == "decompress-dir" {
					in, want = compressedTree(t, in, want)
				}
				if err := os.Rename(in, filepath.Join(dir, "in")); err != nil {
					t.Fatal(err)
				}
				stamp := filepath.Join(dir, "stamp")
				writeFile(t, stamp, nil)
				old := time.Now().Add(-time.Hour)
				os.Chtimes(stamp, old, old)
				// The sharded example runs as each pod of its Job would; it
				// does not walk subfolders.
				shards := 1
				if strings.Contains(example, "--shard") {
					shards = 16
					for rel := range want {
						if strings.ContainsRune(rel, filepath.Separator) {
							delete(want, rel)
						}
					}
				}
				for k := range shards {
					sh := shell(t, dir, example)
					sh.Env = append(sh.Env, fmt.Sprintf("JOB_COMPLETION_INDEX=%d", k))
					if out, err := sh.CombinedOutput(); err != nil {
						t.Fatalf("%v:\n%s", err, out)
					}
				}
				sameFiles(t, files(t, filepath.Join(dir, "out")), want)
			})
		}
	}
}

// compressedTree compresses the tree tree made and returns it with the BMP
// each .rle file decompresses to.
func compressedTree(t *testing.T, in string, want map[string][]byte) (string, map[string][]byte) {
	t.Helper()
	out := t.TempDir()
	if r := rlec(t, nil, "compress-dir", "-q", "-r", in, out); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	back := t.TempDir()
	if r := rlec(t, nil, "decompress-dir", "-q", "-r", out, back); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	return out, files(t, back)
}
