package strategy_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/strategy"
)

// BenchmarkStrategies compresses one page, and a batch of eight, under every
// strategy, file to file; then decompresses them. The page is
// $RLEC_BENCH_PAGE or the sample page. Throughput is in bytes of BMP.
func BenchmarkStrategies(b *testing.B) {
	page, data := bmptest.BenchPage(b)
	compressed := filepath.Join(b.TempDir(), "page.rle")
	serial, _ := strategy.Lookup("serial")
	runBatch(b, serial, []job.Job{{Op: job.Compress, In: page, Out: compressed}})
	for _, op := range []job.Op{job.Compress, job.Decompress} {
		in := page
		if op == job.Decompress {
			in = compressed
		}
		for _, batch := range []int{1, 8} {
			for _, name := range strategy.Names() {
				s, _ := strategy.Lookup(name)
				b.Run(fmt.Sprintf("%s/%s/files=%d", op, name, batch), func(b *testing.B) {
					dir := b.TempDir()
					var jobs []job.Job
					for i := range batch {
						jobs = append(jobs, job.Job{Op: op, In: in, Out: filepath.Join(dir, fmt.Sprint(i))})
					}
					b.SetBytes(int64(len(data) * batch))
					for b.Loop() {
						// Fresh outputs: replacing a file makes ext4 flush it
						// to disk, and the benchmark would time the disk.
						for _, j := range jobs {
							os.Remove(j.Out)
						}
						runBatch(b, s, jobs)
					}
				})
			}
		}
	}
}

// runBatch runs jobs under s with two workers.
func runBatch(b *testing.B, s strategy.Strategy, jobs []job.Job) {
	s.Run(context.Background(), jobs, options(2), func(r job.Result) {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
	})
}
