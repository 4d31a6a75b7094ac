package batch

import (
	"fmt"
	"hash/fnv"
	"path/filepath"

	"github.com/rlec/rlec/internal/job"
)

// Shard keeps the jobs of shard k of n (0 <= k < n). A job's shard is a hash
// of its input's path relative to inDir, so N workers given the same batch,
// on one machine or many, each take a disjoint part and together take every
// file exactly once, whatever else the folder holds.
func Shard(jobs []job.Job, inDir string, k, n int) []job.Job {
	var kept []job.Job
	for _, j := range jobs {
		rel, err := filepath.Rel(inDir, j.In)
		if err != nil {
			rel = j.In
		}
		h := fnv.New64a()
		h.Write([]byte(filepath.ToSlash(rel)))
		if h.Sum64()%uint64(n) == uint64(k) {
			kept = append(kept, j)
		}
	}
	return kept
}

// ParseShard reads "K/N".
func ParseShard(s string) (k, n int, err error) {
	if _, err := fmt.Sscanf(s, "%d/%d", &k, &n); err != nil || n < 1 || k < 0 || k >= n || fmt.Sprintf("%d/%d", k, n) != s {
		return 0, 0, fmt.Errorf("%q is not K/N with 0 <= K < N, such as 0/4", s)
	}
	return k, n, nil
}
