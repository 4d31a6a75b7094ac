package batch_test

import (
	"fmt"
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

// TestShardOfBalances: names that differ only in the high bits of their
// bytes, which FNV-1a alone sends to one shard when N is a power of two,
// spread over every shard.
func TestShardOfBalances(t *testing.T) {
	var highBits, many []string
	for _, a := range "0@P`p" {
		for _, b := range "0@P`p" {
			for _, c := range "0@P`p" {
				highBits = append(highBits, fmt.Sprintf("scan%c%c%c.bmp", a, b, c))
			}
		}
	}
	for i := range 10000 {
		many = append(many, fmt.Sprintf("d%d/p%05d.tif", i%7, i))
	}
	for _, tc := range []struct {
		names []string
		slack float64 // how far from the mean a shard may be, as a fraction
	}{{highBits, 1.5}, {many, 0.2}} {
		for _, n := range []int{2, 3, 7, 16} {
			t.Run(fmt.Sprintf("%d names in %d", len(tc.names), n), func(t *testing.T) {
				counts := make([]int, n)
				for _, name := range tc.names {
					counts[batch.ShardOf(name, n)]++
				}
				mean := float64(len(tc.names)) / float64(n)
				for k, c := range counts {
					if float64(c) < (1-min(tc.slack, 0.9))*mean || float64(c) > (1+tc.slack)*mean {
						t.Errorf("shard %d of %d holds %d of %d names (mean %.1f)", k, n, c, len(tc.names), mean)
					}
				}
			})
		}
	}
}

// TestShardOfIsStable pins the shards of a few names, worked out apart from
// Go (FNV-1a 64 and MurmurHash3's fmix64 in a few lines of Python): the
// function is part of rlec's interface, shared by workers of different
// versions.
func TestShardOfIsStable(t *testing.T) {
	for _, tc := range []struct {
		rel  string
		n    int
		want int
	}{
		{"p01.bmp", 16, 11}, {"scans/2024/p0001.tif", 16, 12}, {"a", 2, 1}, {"scan@@@.bmp", 16, 9}, {"x/y/z.png", 1000, 655},
	} {
		if got := batch.ShardOf(tc.rel, tc.n); got != tc.want {
			t.Errorf("ShardOf(%q, %d) = %d, want %d", tc.rel, tc.n, got, tc.want)
		}
	}
}
