package bmptest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rlec/rlec/internal/conformance"
)

// BenchPage is the page benchmarks run on: $RLEC_BENCH_PAGE when set (a
// workload of make-workloads.sh, say), else the bundled sample page.
func BenchPage(tb testing.TB) (path string, data []byte) {
	tb.Helper()
	path = os.Getenv("RLEC_BENCH_PAGE")
	if path == "" {
		path = filepath.Join(conformance.Root(tb), "testdata", "sample.bmp")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return path, data
}
