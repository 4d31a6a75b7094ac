package zstream

import (
	"hash/adler32"
	"math/rand/v2"
	"testing"
)

// TestAdler: the checksum is hash/adler32's, for data of any length and
// content, written in pieces of any size.
func TestAdler(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for _, n := range []int{0, 1, 7, 8, 9, 63, 1000, 5552, 5553, adlerBlock - 1, adlerBlock + 9, 3*adlerBlock + 5} {
		for _, fill := range []string{"random", "ones", "zeros"} {
			data := make([]byte, n)
			for i := range data {
				switch fill {
				case "random":
					data[i] = byte(r.IntN(256))
				case "ones":
					data[i] = 0xff
				}
			}
			a := NewAdler()
			for p := data; len(p) > 0; {
				k := min(len(p), 1+r.IntN(3*adlerBlock/2))
				a.Write(p[:k])
				p = p[k:]
			}
			if got, want := a.Sum32(), adler32.Checksum(data); got != want {
				t.Errorf("%d %s bytes: %08x, want %08x", n, fill, got, want)
			}
		}
	}
	if a := NewAdler(); a.Sum32() != adler32.Checksum(nil) {
		t.Error("the empty checksum")
	}
}

func BenchmarkAdler(b *testing.B) {
	data := make([]byte, 1<<20)
	for i := range data {
		data[i] = byte(i * 7)
	}
	b.SetBytes(int64(len(data)))
	b.Run("rlec", func(b *testing.B) {
		for b.Loop() {
			a := NewAdler()
			a.Write(data)
		}
	})
	b.Run("hash/adler32", func(b *testing.B) {
		for b.Loop() {
			adler32.Checksum(data)
		}
	})
}
