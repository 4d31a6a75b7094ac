package batch

import (
	"fmt"
	"hash/fnv"
	"path/filepath"

	"github.com/rlec/rlec/internal/job"
)

// Shard keeps the jobs of shard k of n (0 <= k < n). A job's shard is a hash
// of its input's path relative to inDir (ShardOf), so N workers given the
// same batch, on one machine or many, each take a disjoint part and
// together take every file exactly once, whatever else the folder holds.
func Shard(jobs []job.Job, inDir string, k, n int) []job.Job {
	var kept []job.Job
	for _, j := range jobs {
		rel, err := filepath.Rel(inDir, j.In)
		if err != nil {
			rel = j.In
		}
		if ShardOf(rel, n) == k {
			kept = append(kept, j)
		}
	}
	return kept
}

// ShardOf is the shard, of n, of the file whose path relative to the
// batch's folder is rel. It is part of rlec's interface and must not change
// between versions or machines: workers of different versions given the
// same batch must still split it. It is FNV-1a (64 bits) of the path with
// forward slashes, mixed by MurmurHash3's 64-bit finalizer so that every
// bit of the path counts in the low bits the modulus keeps (FNV-1a's low
// bits depend only on the low bits of each byte), modulo n.
func ShardOf(rel string, n int) int {
	h := fnv.New64a()
	h.Write([]byte(filepath.ToSlash(rel)))
	x := h.Sum64()
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return int(x % uint64(n))
}

// ParseShard reads "K/N".
func ParseShard(s string) (k, n int, err error) {
	if _, err := fmt.Sscanf(s, "%d/%d", &k, &n); err != nil || n < 1 || k < 0 || k >= n || fmt.Sprintf("%d/%d", k, n) != s {
		return 0, 0, fmt.Errorf("%q is not K/N with 0 <= K < N, such as 0/4", s)
	}
	return k, n, nil
}
