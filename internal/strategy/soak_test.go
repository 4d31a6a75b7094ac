//go:build soak

package strategy_test

import (
	"bytes"
	"fmt"
	"image/color"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
)

// TestSoak runs every strategy at once, round after round, on new random
// inputs of every depth for RLEC_SOAK_TIME (default 1m), and checks that they
// agree. make soak runs it under the race detector.
func TestSoak(t *testing.T) {
	d := time.Minute
	if s := os.Getenv("RLEC_SOAK_TIME"); s != "" {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			t.Fatalf("RLEC_SOAK_TIME: %v", err)
		}
	}
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	deadline := time.Now().Add(d)
	rounds := 0
	for ; time.Now().Before(deadline); rounds++ {
		in := t.TempDir()
		var inputs []string
		for i := range 6 {
			path := filepath.Join(in, fmt.Sprintf("%d.bmp", i))
			if err := os.WriteFile(path, bmptest.Build(randomSpec(r)), 0o644); err != nil {
				t.Fatal(err)
			}
			inputs = append(inputs, path)
		}
		outs := make([]map[string][]byte, len(all(t)))
		var wg sync.WaitGroup
		for i, s := range all(t) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				outs[i] = compressAll(t, s, inputs, t.TempDir(), options(1+i%3))
			}()
		}
		wg.Wait()
		for i := 1; i < len(outs); i++ {
			for _, in := range inputs {
				if !bytes.Equal(outs[i][in], outs[0][in]) {
					t.Fatalf("round %d: %s differs between strategies", rounds, in)
				}
			}
		}
	}
	t.Logf("%d rounds in %v", rounds, d)
}

func randomSpec(r *rand.Rand) bmptest.Spec {
	s := bmptest.Spec{Width: 1 + r.IntN(1500), Height: 1 + r.IntN(400), TopDown: r.IntN(2) == 0}
	seed := r.Uint32()
	switch r.IntN(4) {
	case 0:
		s.BitsPerPixel, s.Palette = 1, bmptest.BlackWhite
	case 1:
		s.BitsPerPixel, s.Palette = 1, bmptest.WhiteBlack
	case 2:
		s.BitsPerPixel = 8
		for i := range 256 {
			s.Palette = append(s.Palette, color.RGBA{R: uint8(i), G: uint8(i * 7), B: uint8(i * 13), A: 0xff})
		}
	default:
		s.BitsPerPixel = 24
	}
	s.Pixel = func(x, y int) uint32 { return (uint32(x)*seed ^ uint32(y)*2654435761) >> 8 }
	return s
}
