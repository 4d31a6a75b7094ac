package bitmap_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
)

// TestNewIn: a bitmap made in a used buffer is all black and the size asked
// for, in the buffer's memory when it has room and in new memory when not.
func TestNewIn(t *testing.T) {
	used := make([]uint64, 40)
	for i := range used {
		used[i] = ^uint64(0)
	}
	for _, tc := range []struct {
		width, height int
		inBuffer      bool
	}{
		{64, 40, true},
		{100, 20, true},
		{65, 21, false},
		{0, 5, true},
	} {
		t.Run(fmt.Sprintf("%dx%d", tc.width, tc.height), func(t *testing.T) {
			bm, err := bitmap.NewIn(used, tc.width, tc.height)
			if err != nil {
				t.Fatal(err)
			}
			if bm.Width != tc.width || bm.Height != tc.height || len(bm.Words) != bm.Stride*tc.height {
				t.Errorf("%dx%d: got %dx%d with %d words", tc.width, tc.height, bm.Width, bm.Height, len(bm.Words))
			}
			for i, w := range bm.Words {
				if w != 0 {
					t.Fatalf("%dx%d: word %d is %#x, not black", tc.width, tc.height, i, w)
				}
			}
			if inBuffer := len(bm.Words) > 0 && &bm.Words[0] == &used[0]; inBuffer != (tc.inBuffer && len(bm.Words) > 0) {
				t.Errorf("%dx%d: in the buffer = %v, want %v", tc.width, tc.height, inBuffer, tc.inBuffer)
			}
			for i := range used {
				used[i] = ^uint64(0)
			}
		})
	}
	if _, err := bitmap.NewIn(used, bitmap.MaxDimension+1, 1); err == nil {
		t.Error("an image wider than MaxDimension was made")
	}
}

// TestPackedRows: LoadRow and AppendRowBytes are inverses, whatever the
// width, padding bytes and inversion, and LoadRow clears the bits past the
// row's width.
func TestPackedRows(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, w := range []int{1, 7, 8, 9, 63, 64, 65, 127, 128, 255, 256, 257, 300, 513} {
		for _, invert := range []bool{false, true} {
			stride := bitmap.PackedStride(w)
			src := make([]byte, stride+3)
			for i := range src {
				src[i] = byte(r.Uint32())
			}
			row := make([]uint64, bitmap.WordsPerRow(w))
			bitmap.LoadRow(row, src, w, invert)
			if row[len(row)-1]&^bitmap.TailMask(w) != 0 {
				t.Fatalf("w=%d: bits past the width are set", w)
			}
			for x := range w {
				bit := src[x/8]>>(7-x%8)&1 == 1
				if got := row[x/64]>>(63-x%64)&1 == 1; got != (bit != invert) {
					t.Fatalf("w=%d invert=%v: pixel %d is %v", w, invert, x, got)
				}
			}
			back := bitmap.AppendRowBytes([]byte{0xaa}, row, stride+2)
			if len(back) != 1+stride+2 || back[0] != 0xaa {
				t.Fatalf("w=%d: appended %d bytes after the first", w, len(back)-1)
			}
			for x := range 8 * (stride + 2) {
				got := back[1+x/8]>>(7-x%8)&1 == 1
				want := x < w && row[x/64]>>(63-x%64)&1 == 1
				if got != want {
					t.Fatalf("w=%d: appended bit %d is %v", w, x, got)
				}
			}
		}
	}
}

func TestFillRow(t *testing.T) {
	for _, w := range []int{1, 63, 64, 65, 130} {
		row := make([]uint64, bitmap.WordsPerRow(w))
		for _, white := range []bool{true, false} {
			for i := range row {
				row[i] = 0x5a5a5a5a5a5a5a5a
			}
			bitmap.FillRow(row, w, white)
			bm := &bitmap.Bitmap{Width: w, Height: 1, Stride: len(row), Words: row}
			for x := range w {
				if bm.At(x, 0) != white {
					t.Fatalf("w=%d white=%v: pixel %d", w, white, x)
				}
			}
			if row[len(row)-1]&^bitmap.TailMask(w) != 0 {
				t.Fatalf("w=%d: bits past the width set", w)
			}
		}
	}
}
