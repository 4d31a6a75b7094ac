package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/conformance"
	"github.com/rlec/rlec/internal/strategy"
)

// TestFormatsConformance: every lossless conformance image of every format
// gives the reference's bytes under every strategy, through compress-dir -r
// and alone. The process strategy starts a child per image, which under
// the race detector takes long: there it takes one image of each kind, and
// make test runs this test again without the detector for all of them.
func TestFormatsConformance(t *testing.T) {
	cases := conformance.Cases(t, "*/*")
	formats := filepath.Join(conformance.Dir(t), "formats")
	for _, s := range strategy.Names() {
		t.Run(s, func(t *testing.T) {
			some := cases
			if s == "process" && raceEnabled {
				some = oneOfEachKind(cases)
			}
			out := t.TempDir()
			args := []string{"compress-dir", "-r", "-q", "-s", s, formats, out}
			if s == "process" && raceEnabled {
				var list strings.Builder
				for _, c := range some {
					list.WriteString(c.Path + "\n")
				}
				args = append(args[:2], append([]string{"--files-from", "-"}, args[2:]...)...)
				rlec(t, []byte(list.String()), args...)
			} else {
				rlec(t, nil, args...) // exit 1: the lossy images are refused
			}
			for _, c := range some {
				got, err := os.ReadFile(filepath.Join(out, strings.TrimSuffix(c.Rel, filepath.Ext(c.Rel))+".rle"))
				want, _ := os.ReadFile(c.Expected)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("compress-dir: %s differs from the reference's output (%v)", c.Rel, err)
				}
			}
			if s == "process" {
				some = oneOfEachKind(cases)
			}
			for _, c := range some {
				r := rlec(t, nil, "compress", "-s", s, c.Path, "-")
				if want, _ := os.ReadFile(c.Expected); r.code != 0 || r.stdout != string(want) {
					t.Errorf("alone: %s differs from the reference's output (%s)", c.Rel, r.stderr)
				}
			}
		})
	}
}

// oneOfEachKind keeps the first image of each kind (folder).
func oneOfEachKind(cases []conformance.Case) []conformance.Case {
	seen := map[string]bool{}
	var some []conformance.Case
	for _, c := range cases {
		if kind := filepath.Dir(c.Rel); !seen[kind] {
			seen[kind] = true
			some = append(some, c)
		}
	}
	return some
}
