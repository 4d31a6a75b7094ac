package scanline

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rlec/rlec/internal/convert"
)

// filter applies filter ft to row raw, given the raw row before it: the
// PNG specification's definitions, byte by byte.
func filter(ft byte, raw, prev []byte, bpp int) []byte {
	out := make([]byte, len(raw))
	for i := range raw {
		var a, b, c int
		if i >= bpp {
			a, c = int(raw[i-bpp]), int(prev[i-bpp])
		}
		b = int(prev[i])
		var pred int
		switch ft {
		case ftSub:
			pred = a
		case ftUp:
			pred = b
		case ftAverage:
			pred = (a + b) / 2
		case ftPaeth:
			p := a + b - c
			pa, pb, pc := abs(p-a), abs(p-b), abs(p-c)
			switch {
			case pa <= pb && pa <= pc:
				pred = a
			case pb <= pc:
				pred = b
			default:
				pred = c
			}
		}
		out[i] = raw[i] - byte(pred)
	}
	return out
}

// TestUnfilter: each filter undone gives back the row it was applied to,
// for rows of any length, filter units of 1 to 8 bytes, and a row above
// of zeros (a pass's first row) or of data.
func TestUnfilter(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for ft := byte(ftNone); ft <= ftPaeth; ft++ {
		for _, bpp := range []int{1, 2, 3, 4, 6, 8} {
			t.Run(fmt.Sprintf("filter%d/bpp%d", ft, bpp), func(t *testing.T) {
				for _, n := range []int{0, 1, 2, bpp, 7, 8, 9, 31, 32, 33, 100, 1000} {
					prev := make([]byte, n)
					if n%2 == 1 {
						for i := range prev {
							prev[i] = byte(r.IntN(256))
						}
					}
					raw := make([]byte, n)
					for i := range raw {
						raw[i] = byte(r.IntN(256))
					}
					cur := filter(ft, raw, prev, bpp)
					if err := Unfilter(ft, cur, prev, bpp); err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(cur, raw) {
						t.Fatalf("%d bytes: got %x, want %x", n, cur, raw)
					}
				}
			})
		}
	}
	if err := Unfilter(5, make([]byte, 4), make([]byte, 4), 1); err == nil {
		t.Error("filter type 5 accepted")
	}
}

// TestLayout: rows of every bit depth and colour type in the mode Pillow
// opens them in.
func TestLayout(t *testing.T) {
	for _, c := range []struct {
		depth, ctype int
		src          []byte
		n            int
		mode         convert.Mode
		want         []byte // nil: the row is used as it is
	}{
		{1, Grey, []byte{0xa5}, 8, convert.Mode1, nil},
		{2, Grey, []byte{0x1b, 0x80}, 5, convert.L, []byte{0, 85, 170, 255, 170}},
		{4, Grey, []byte{0x0f, 0x70}, 3, convert.L, []byte{0, 255, 119}},
		{8, Grey, []byte{7}, 1, convert.L, nil},
		{16, Grey, []byte{1, 2}, 1, convert.I16B, nil},
		{1, Palette, []byte{0x50}, 4, convert.P, []byte{0, 1, 0, 1}},
		{4, Palette, []byte{0x3c}, 2, convert.P, []byte{3, 12}},
		{8, Palette, []byte{9}, 1, convert.P, nil},
		{8, RGB, []byte{1, 2, 3}, 1, convert.RGB, nil},
		{16, RGB, []byte{1, 0, 2, 0, 3, 0}, 1, convert.RGB, []byte{1, 2, 3}},
		{16, GreyAlpha, []byte{5, 0, 6, 0, 7, 0, 8, 0}, 2, convert.LA, []byte{5, 6, 7, 8}},
		{16, RGBA, []byte{1, 0, 2, 0, 3, 0, 4, 0}, 1, convert.RGBA, []byte{1, 2, 3, 4}},
	} {
		t.Run(fmt.Sprintf("depth%d/type%d", c.depth, c.ctype), func(t *testing.T) {
			l := LayoutOf(c.depth, c.ctype)
			if l.Mode != c.mode {
				t.Fatalf("mode %v, want %v", l.Mode, c.mode)
			}
			if (l.Expand == nil) != (c.want == nil) {
				t.Fatalf("expands: %v, want %v", l.Expand != nil, c.want != nil)
			}
			if l.Expand == nil {
				return
			}
			got := make([]byte, len(c.want))
			l.Expand(got, c.src, c.n)
			if !bytes.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

// TestToGrey: a row in each mode as the grey levels its conversion
// dithers.
func TestToGrey(t *testing.T) {
	for _, c := range []struct {
		mode convert.Mode
		src  []byte
		want []byte
	}{
		{convert.L, []byte{3, 200}, []byte{3, 200}},
		{convert.I16B, []byte{0, 3, 1, 0}, []byte{3, 255}},
		{convert.LA, []byte{3, 0, 200, 9}, []byte{3, 200}},
		{convert.RGB, []byte{255, 255, 255, 0, 0, 0}, []byte{255, 0}},
		{convert.RGBA, []byte{255, 255, 255, 0, 0, 0, 0, 255}, []byte{255, 0}},
	} {
		t.Run(fmt.Sprint(c.mode), func(t *testing.T) {
			got := make([]byte, len(c.want))
			ToGrey(got, c.src, c.mode, len(c.want))
			if !bytes.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func BenchmarkUnfilter(b *testing.B) {
	prev, cur := make([]byte, 1<<12), make([]byte, 1<<12)
	for i := range prev {
		prev[i] = byte(i * 7)
	}
	b.SetBytes(int64(len(cur)))
	for _, ft := range []byte{ftSub, ftUp, ftAverage, ftPaeth} {
		b.Run(fmt.Sprint("filter", ft), func(b *testing.B) {
			for b.Loop() {
				Unfilter(ft, cur, prev, 1)
			}
		})
	}
}
