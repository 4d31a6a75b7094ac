// Package conformance finds the shared golden data that tests compare rlec
// with: ../shared/conformance beside the repository, or the folder
// $RLEC_CONFORMANCE names. Tests that need it are skipped, saying so, when
// it is absent. It is imported by tests only.
package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Root is the repository's root folder, found from the working directory
// of a test (its package's folder) by looking for go.mod.
func Root(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// Dir is the conformance data's folder. The test is skipped with a message
// when there is none.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("RLEC_CONFORMANCE")
	if dir == "" {
		dir = filepath.Join(Root(tb), "..", "shared", "conformance")
	}
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("conformance data not found at %s (the shared folder beside the repository): %v", dir, err)
	}
	return dir
}

// Files returns the conformance files matching pattern, relative to Dir,
// failing the test when none does.
func Files(tb testing.TB, pattern string) []string {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(Dir(tb), pattern))
	if len(files) == 0 {
		tb.Fatalf("no conformance files match %s", pattern)
	}
	return files
}

// BMPCases lists every conformance BMP with a published expected output
// (the book's and the BMP Suite's good files), with that output.
func BMPCases(tb testing.TB) []Case {
	tb.Helper()
	dir := Dir(tb)
	var cases []Case
	for _, set := range [][2]string{{"book", "book/expected"}, {"bmpsuite/good", "bmpsuite/expected"}} {
		for _, f := range Files(tb, set[0]+"/*.bmp") {
			cases = append(cases, Case{
				Rel:      filepath.Join(set[0], filepath.Base(f)),
				Path:     f,
				Expected: filepath.Join(dir, set[1], strings.TrimSuffix(filepath.Base(f), ".bmp")+".rle"),
			})
		}
	}
	return cases
}
