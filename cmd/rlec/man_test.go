//go:build rlecman

package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestMan: a page for every command, each with the version, an EXIT STATUS
// section, and --jobs' default as words rather than this machine's count.
func TestMan(t *testing.T) {
	dir := t.TempDir()
	if r := rlec(t, nil, "man", dir); r.code != 0 {
		t.Fatalf("man: %+v", r)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	for _, want := range []string{"rlec.1", "rlec-compress.1", "rlec-compress-dir.1", "rlec-decompress-dir.1", "rlec-verify.1", "rlec-bench.1"} {
		if !slices.Contains(pages, filepath.Join(dir, want)) {
			t.Errorf("no man page %s among %v", want, pages)
		}
	}
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if !strings.Contains(text, `"rlec `+version+`"`) || !strings.Contains(text, ".SH EXIT STATUS") {
			t.Errorf("%s: no version or no EXIT STATUS", filepath.Base(p))
		}
		if strings.Contains(text, `\fB--jobs\fP`) && !strings.Contains(text, "the number of CPUs") {
			t.Errorf("%s: --jobs' default is not said in words", filepath.Base(p))
		}
	}
}
