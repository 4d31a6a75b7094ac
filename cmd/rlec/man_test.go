//go:build rlecman

package main

import (
	"path/filepath"
	"slices"
	"testing"
)

func TestMan(t *testing.T) {
	dir := t.TempDir()
	if r := rlec(t, nil, "man", dir); r.code != 0 {
		t.Fatalf("man: %+v", r)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	for _, want := range []string{"rlec.1", "rlec-compress.1", "rlec-compress-dir.1", "rlec-decompress-dir.1", "rlec-verify.1"} {
		if !slices.Contains(pages, filepath.Join(dir, want)) {
			t.Errorf("no man page %s among %v", want, pages)
		}
	}
}
