package strategy_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/rlec/rlec/internal/bitmap/bmptest"
	"github.com/rlec/rlec/internal/strategy"
)

// BenchmarkStrategies compresses one page, and a batch of eight, under every
// strategy, file to file. The page is $RLEC_BENCH_PAGE or the sample page.
func BenchmarkStrategies(b *testing.B) {
	page, data := bmptest.BenchPage(b)
	for _, batch := range []int{1, 8} {
		for _, name := range strategy.Names() {
			s, _ := strategy.Lookup(name)
			b.Run(fmt.Sprintf("%s/files=%d", name, batch), func(b *testing.B) {
				dir := b.TempDir()
				var jobs []strategy.Job
				for i := range batch {
					jobs = append(jobs, strategy.Job{Op: strategy.Compress, In: page, Out: filepath.Join(dir, fmt.Sprint(i, ".rle"))})
				}
				opt := options(2)
				opt.Force = true
				b.SetBytes(int64(len(data) * batch))
				for b.Loop() {
					s.Run(context.Background(), jobs, opt, func(r strategy.Result) {
						if r.Err != nil {
							b.Fatal(r.Err)
						}
					})
				}
			})
		}
	}
}
