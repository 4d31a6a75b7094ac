package strategy_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/strategy"
)

func TestRefused(t *testing.T) {
	job := func(in, out string) strategy.Job { return strategy.Job{Op: strategy.Compress, In: in, Out: out} }
	for _, tc := range []struct {
		name string
		jobs []strategy.Job
		want map[strategy.Job]string // the clashing jobs, and what their error must say
	}{
		{"none", []strategy.Job{job("in/a.bmp", "out/a.rle"), job("in/b.bmp", "out/b.rle")}, nil},
		{"letter case", []strategy.Job{job("in/a.BMP", "out/a.rle"), job("in/a.bmp", "out/a.rle"), job("in/b.bmp", "out/b.rle")}, map[strategy.Job]string{
			job("in/a.BMP", "out/a.rle"): "out/a.rle is the output of in/a.bmp too",
			job("in/a.bmp", "out/a.rle"): "out/a.rle is the output of in/a.BMP too",
		}},
		{"three ways, spelled differently", []strategy.Job{job("in/a.bmp", "out/a.rle"), job("in/a.Bmp", "out//a.rle"), job("in/a.BMP", "out/./a.rle")}, map[strategy.Job]string{
			job("in/a.bmp", "out/a.rle"):   "is the output of in/a.Bmp and in/a.BMP too",
			job("in/a.Bmp", "out//a.rle"):  "is the output of in/a.bmp and in/a.BMP too",
			job("in/a.BMP", "out/./a.rle"): "is the output of in/a.bmp and in/a.Bmp too",
		}},
		{"an output that is another's input", []strategy.Job{job("d/a.bmp", "d/a.rle"), job("d/a.rle", "d/a.rle.rle")}, map[strategy.Job]string{
			job("d/a.bmp", "d/a.rle"): "its output d/a.rle is an input of this batch too",
		}},
	} {
		got := strategy.Refused(tc.jobs, tc.jobs)
		// A shard holding one job of each clash finds the same clash.
		for j, want := range tc.want {
			shard := strategy.Refused(tc.jobs, []strategy.Job{j})
			if err := shard[j]; len(shard) != 1 || err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: the shard of %v alone: %v", tc.name, j, shard)
			}
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d clashes %v, want %d", tc.name, len(got), got, len(tc.want))
		}
		for j, want := range tc.want {
			if err := got[j]; err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v: error %v, want one saying %q", tc.name, j, err, want)
			}
		}
		for j := range got {
			if !slices.Contains(tc.jobs, j) {
				t.Errorf("%s: a clash for %v, which is not a job", tc.name, j)
			}
		}
	}
}
