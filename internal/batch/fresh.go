package batch

import (
	"os"

	"github.com/rlec/rlec/internal/job"
)

// SkipFresh drops the jobs whose output exists and is not older than its
// input: work a previous run finished. Outputs are only ever renamed into
// place whole, so an existing output is a complete one.
func SkipFresh(jobs []job.Job) (kept []job.Job, skipped int) {
	for _, j := range jobs {
		if fresh(j) {
			skipped++
			continue
		}
		kept = append(kept, j)
	}
	return kept, skipped
}

func fresh(j job.Job) bool {
	out, err := os.Stat(j.Out)
	if err != nil {
		return false
	}
	in, err := os.Stat(j.In)
	return err == nil && !out.ModTime().Before(in.ModTime())
}
