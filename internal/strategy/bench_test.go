package strategy_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rlec/rlec/internal/bitmap/bmptest"
	"github.com/rlec/rlec/internal/strategy"
)

// BenchmarkStrategies compresses one page, and a batch of eight, under every
// strategy, file to file; then decompresses them. The page is
// $RLEC_BENCH_PAGE or the sample page. Throughput is in bytes of BMP.
func BenchmarkStrategies(b *testing.B) {
	page, data := bmptest.BenchPage(b)
	compressed := filepath.Join(b.TempDir(), "page.rle")
	serial, _ := strategy.Lookup("serial")
	runBatch(b, serial, []strategy.Job{{Op: strategy.Compress, In: page, Out: compressed}})
	for _, op := range []strategy.Op{strategy.Compress, strategy.Decompress} {
		in := page
		if op == strategy.Decompress {
			in = compressed
		}
		for _, batch := range []int{1, 8} {
			for _, name := range strategy.Names() {
				s, _ := strategy.Lookup(name)
				b.Run(fmt.Sprintf("%s/%s/files=%d", op, name, batch), func(b *testing.B) {
					dir := b.TempDir()
					var jobs []strategy.Job
					for i := range batch {
						jobs = append(jobs, strategy.Job{Op: op, In: in, Out: filepath.Join(dir, fmt.Sprint(i))})
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
func runBatch(b *testing.B, s strategy.Strategy, jobs []strategy.Job) {
	s.Run(context.Background(), jobs, options(2), func(r strategy.Result) {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
	})
}
