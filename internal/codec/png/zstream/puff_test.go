package zstream

import (
	"bufio"
	"bytes"
	"compress/flate"
	"io"
	"math/rand/v2"
	"testing"
)

// oneRow makes cutRows decode all it can: one row longer than any data.
func oneRow(int) int { return 1 << 30 }

// TestCutRows: on a deflate stream cut anywhere, cutRows decodes a prefix
// of the whole stream's output, at least what compress/flate gives,
// growing with the data; on the whole stream, all of it.
func TestCutRows(t *testing.T) {
	r := rand.New(rand.NewPCG(27, 28))
	more := 0 // cuts where the salvage finds bytes compress/flate holds back
	for trial := range 90 {
		raw := make([]byte, 10+r.IntN([]int{40, 300, 3000}[trial%3]))
		for i := range raw {
			switch {
			case trial%3 == 0:
				raw[i] = byte(r.IntN(256))
			case r.IntN(8) == 0:
				raw[i] = byte(r.IntN(4))
			}
		}
		var b bytes.Buffer
		w, _ := flate.NewWriter(&b, []int{flate.HuffmanOnly, flate.BestSpeed, flate.DefaultCompression, flate.NoCompression}[trial%4])
		w.Write(raw)
		w.Close()
		z := b.Bytes()
		last := -1
		for k := max(0, len(z)-40); k <= len(z); k++ {
			got := cutRows(replayed{r: bufio.NewReader(bytes.NewReader(z[:k]))}, oneRow, 1, 0).tail
			std, _ := io.ReadAll(flate.NewReader(bytes.NewReader(z[:k])))
			if !bytes.HasPrefix(raw, got) || len(got) < len(std) || len(got) < last {
				t.Fatalf("trial %d, cut at %d of %d: %d bytes salvaged (flate %d, before %d), prefix %v", trial, k, len(z), len(got), len(std), last, bytes.HasPrefix(raw, got))
			}
			last = len(got)
			if len(got) > len(std) {
				more++
			}
		}
		if last != len(raw) {
			t.Fatalf("trial %d: %d of %d bytes from the whole stream", trial, last, len(raw))
		}
		skip := len(raw) / 3
		if got := cutRows(replayed{r: bufio.NewReader(bytes.NewReader(z))}, oneRow, 1, int64(skip)).tail; !bytes.Equal(got, raw[skip:]) {
			t.Fatalf("trial %d: skipping %d bytes gives other bytes", trial, skip)
		}
	}
	if more == 0 {
		t.Error("no cut where compress/flate holds bytes back: the test tests nothing")
	}
	t.Logf("%d cuts where the salvage finds more than compress/flate", more)
}
