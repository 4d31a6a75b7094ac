package tiff_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/ccitt"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/tiff"
	"github.com/rlec/rlec/internal/testkit"
)

// benchPage is an A4 page at 300 dpi, as a scanner makes it: white, with
// lines of black "words", written as a 1-bit TIFF in 64-row strips.
func benchPage(b *testing.B, comp int) (*bitmap.Bitmap, []byte) {
	b.Helper()
	const w, h = 2480, 3508
	bm, _ := bitmap.New(w, h)
	r := rand.New(rand.NewPCG(1, 1))
	for y := range h {
		row := bm.Row(y)
		for i := range row {
			row[i] = ^uint64(0)
		}
		row[len(row)-1] &= bitmap.TailMask(w)
		if line := y % 50; line >= 10 && line < 40 {
			for x := 200; x < w-200; x += 8 + r.IntN(60) {
				if r.IntN(3) > 0 {
					for k := range 4 + r.IntN(12) {
						bm.Set(min(x+k, w-1), y, false)
					}
				}
			}
		}
	}
	s := bilevelSpec(bm, 0)
	s.Comp, s.RPS = comp, 64
	return bm, build(s)
}

func benchDecode(b *testing.B, comp int) {
	_, data := benchPage(b, comp)
	b.SetBytes(bitmap.PackedSize(2480, 3508))
	for b.Loop() {
		if _, err := tiff.Decode(bytes.NewReader(data), int64(len(data))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeUncompressed reads a 1-bit uncompressed page into the
// bitset, from memory.
func BenchmarkDecodeUncompressed(b *testing.B) { benchDecode(b, cNone) }

// BenchmarkDecodePackBits reads a 1-bit PackBits page into the bitset.
func BenchmarkDecodePackBits(b *testing.B) { benchDecode(b, cPackBits) }

// BenchmarkDecodeG4 reads a 1-bit Group 4 page into the bitset.
func BenchmarkDecodeG4(b *testing.B) { benchDecode(b, cG4) }

// BenchmarkDecodeLZW reads a 1-bit LZW page into the bitset.
func BenchmarkDecodeLZW(b *testing.B) { benchDecode(b, cLZW) }

// BenchmarkReadRowsAt reads an uncompressed page band by band into a
// reused band of half a million pixels, as the strategies do.
func BenchmarkReadRowsAt(b *testing.B) {
	_, data := benchPage(b, cNone)
	img, err := tiff.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	ra := img.(codec.RowsAt)
	w, h := img.Size()
	band, _ := bitmap.New(w, (1<<19)/w)
	var buf []byte
	b.SetBytes(bitmap.PackedSize(w, h))
	for b.Loop() {
		for y := 0; y < h; y += band.Height {
			if buf, err = ra.ReadRowsAt(band.Band(0, min(band.Height, h-y)), y, buf); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestLargePageMemory reads a 135-Mpixel Group 4 page, one strip, band by
// band: memory is the coded strip and the decoder's rows, far below the
// page's 17 MB of bits.
func TestLargePageMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 135-Mpixel page")
	}
	const w, h = 11000, 12300
	// Lines of text: bars of black in a white page, five kinds of row.
	kinds, _ := bitmap.New(w, 5)
	for k := range 5 {
		for x := range w {
			kinds.Set(x, k, k == 0 || x%97 >= 60 || (x/97+k)%5 == 0)
		}
	}
	var coded bytes.Buffer
	enc := ccitt.NewT6Encoder(&coded, w)
	rowKind := func(y int) int {
		if y%60 < 40 {
			return 1 + y%4
		}
		return 0
	}
	for y := range h {
		if err := enc.WriteRow(kinds.Row(rowKind(y))); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	data := replaceStrip(small(func(s *spec) {
		s.BPS, s.Photo, s.Comp, s.Sample = 1, 0, cG4, noise(1, 1)
		s.Fields = []field{u32(256, w), u32(257, h), u32(278, h)}
	}), coded.Bytes())
	band, _ := bitmap.New(w, 64)
	var err error
	grew := testkit.Allocated(func() {
		var img codec.Image
		if img, err = tiff.Open(bytes.NewReader(data), int64(len(data))); err != nil {
			return
		}
		for y := 0; y < h && err == nil; y += band.Height {
			b := band.Band(0, min(band.Height, h-y))
			if err = img.ReadRows(b); err != nil {
				return
			}
			for i := range b.Height {
				if !slices.Equal(b.Row(i), kinds.Row(rowKind(y+i))) {
					err = fmt.Errorf("row %d differs", y+i)
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("a %d-byte G4 page of %dx%d read with %d bytes allocated", len(data), w, h, grew)
	if grew > 8<<20+uint64(len(data)) {
		t.Fatalf("reading allocated %d bytes", grew)
	}
}
