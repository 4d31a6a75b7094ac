package batch_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/batch"
	"github.com/rlec/rlec/internal/job"
)

func TestRefused(t *testing.T) {
	mk := func(in, out string) job.Job { return job.Job{Op: job.Compress, In: in, Out: out} }
	for _, tc := range []struct {
		name string
		jobs []job.Job
		want map[job.Job]string // the clashing jobs, and what their error must say
	}{
		{"none", []job.Job{mk("in/a.bmp", "out/a.rle"), mk("in/b.bmp", "out/b.rle")}, nil},
		{"letter case", []job.Job{mk("in/a.BMP", "out/a.rle"), mk("in/a.bmp", "out/a.rle"), mk("in/b.bmp", "out/b.rle")}, map[job.Job]string{
			mk("in/a.BMP", "out/a.rle"): "out/a.rle is the output of in/a.bmp too",
			mk("in/a.bmp", "out/a.rle"): "out/a.rle is the output of in/a.BMP too",
		}},
		{"three ways, spelled differently", []job.Job{mk("in/a.bmp", "out/a.rle"), mk("in/a.Bmp", "out//a.rle"), mk("in/a.BMP", "out/./a.rle")}, map[job.Job]string{
			mk("in/a.bmp", "out/a.rle"):   "is the output of in/a.Bmp and in/a.BMP too",
			mk("in/a.Bmp", "out//a.rle"):  "is the output of in/a.bmp and in/a.BMP too",
			mk("in/a.BMP", "out/./a.rle"): "is the output of in/a.bmp and in/a.Bmp too",
		}},
		{"an output that is another's input", []job.Job{mk("d/a.bmp", "d/a.rle"), mk("d/a.rle", "d/a.rle.rle")}, map[job.Job]string{
			mk("d/a.bmp", "d/a.rle"): "its output d/a.rle is an input of this batch too",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := batch.Refused(tc.jobs, tc.jobs)
			// A shard holding one job of each clash finds the same clash.
			for j, want := range tc.want {
				shard := batch.Refused(tc.jobs, []job.Job{j})
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
		})
	}
}
