package strategy_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testdata = "../../testdata"

// TestGolden: every strategy gives the committed bytes for every golden
// input (internal/rle's golden test makes and checks them).
func TestGolden(t *testing.T) {
	inputs, _ := filepath.Glob(filepath.Join(testdata, "golden", "*.bmp"))
	if len(inputs) == 0 {
		t.Fatal("no golden inputs in testdata/golden")
	}
	for _, in := range inputs {
		name := filepath.Base(in)
		want, err := os.ReadFile(strings.TrimSuffix(in, ".bmp") + ".rle")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range all(t) {
			got := compressAll(t, s, []string{in}, t.TempDir(), options(2))[in]
			if !bytes.Equal(got, want) {
				t.Errorf("%s: %s differs from its golden output", s.Name(), name)
			}
		}
	}
}
