package bmptest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ConformanceDir is the shared golden data beside the repository, as seen
// from a package two folders below the repository's root.
const ConformanceDir = "../../../shared/conformance"

// Conformance returns the conformance files matching pattern (relative to
// ConformanceDir), skipping the test with a clear message when the shared
// data is absent.
func Conformance(tb testing.TB, pattern string) []string {
	tb.Helper()
	if _, err := os.Stat(ConformanceDir); err != nil {
		tb.Skipf("conformance data not found at %s (the shared folder beside the repository): %v", ConformanceDir, err)
	}
	files, _ := filepath.Glob(filepath.Join(ConformanceDir, pattern))
	if len(files) == 0 {
		tb.Fatalf("no conformance files match %s", pattern)
	}
	return files
}

// ConformanceCases maps every conformance BMP with a published expected
// output (the book's and the BMP Suite's good files) to that output.
func ConformanceCases(tb testing.TB) map[string]string {
	tb.Helper()
	cases := map[string]string{}
	for _, set := range [][2]string{{"book", "book/expected"}, {"bmpsuite/good", "bmpsuite/expected"}} {
		for _, f := range Conformance(tb, set[0]+"/*.bmp") {
			cases[f] = filepath.Join(ConformanceDir, set[1], strings.TrimSuffix(filepath.Base(f), ".bmp")+".rle")
		}
	}
	return cases
}

// BenchPage is the page benchmarks run on: $RLEC_BENCH_PAGE when set (a
// workload of make-workloads.sh, say), else the bundled sample page.
func BenchPage(tb testing.TB) (path string, data []byte) {
	tb.Helper()
	path = os.Getenv("RLEC_BENCH_PAGE")
	if path == "" {
		path = "../../testdata/sample.bmp"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return path, data
}
