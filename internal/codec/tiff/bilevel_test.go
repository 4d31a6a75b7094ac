package tiff_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/tiff"
)

// bilevelSpec writes bm as a 1-bit TIFF: min-is-black stores white as 1,
// min-is-white as 0.
func bilevelSpec(bm *bitmap.Bitmap, photo int) spec {
	return spec{
		W: bm.Width, H: bm.Height, Photo: photo, SPP: 1, BPS: 1, Comp: cNone,
		Sample: func(x, y, _ int) uint64 {
			if bm.At(x, y) == (photo == 1) {
				return 1
			}
			return 0
		},
	}
}

func randomBitmap(r *rand.Rand, w, h int) *bitmap.Bitmap {
	bm, _ := bitmap.New(w, h)
	dense := r.IntN(4) // some images mostly black, some noise, some runs
	for y := range h {
		for x := range w {
			switch dense {
			case 0:
				bm.Set(x, y, r.IntN(2) == 0)
			case 1:
				bm.Set(x, y, r.IntN(20) == 0)
			default:
				bm.Set(x, y, (x/(1+y%7))%3 != 0)
			}
		}
	}
	return bm
}

// TestBilevelRoundTrip: random bitmaps written as 1-bit TIFFs, in every
// compression, photometric, fill order and strip height, read back to the
// same bits.
func TestBilevelRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	comps := []int{cNone, cPackBits, cDeflate, cLZW, cLZWOld, cG4}
	for i := range 300 {
		w, h := 1+r.IntN(300), 1+r.IntN(40)
		bm := randomBitmap(r, w, h)
		s := bilevelSpec(bm, r.IntN(2))
		s.Comp = comps[i%len(comps)]
		s.Fill2 = r.IntN(2) == 0
		s.BigEndian = r.IntN(2) == 0
		s.RPS = r.IntN(h + 1)
		if r.IntN(4) == 0 {
			s.TileW, s.TileH = 16*(1+r.IntN(4)), 8*(1+r.IntN(4))
		}
		got, err := decodeBytes(build(s))
		if err != nil {
			t.Fatalf("%dx%d, compression %d: %v", w, h, s.Comp, err)
		}
		if !got.Equal(bm) {
			t.Fatalf("%dx%d, compression %d, photometric %d, fill2 %v, rps %d, tiles %dx%d: bits differ:\n%s",
				w, h, s.Comp, s.Photo, s.Fill2, s.RPS, s.TileW, s.TileH, diffPicture(got, bm))
		}
	}
}

// TestRowsAt: an uncompressed bilevel TIFF in strips reads the same rows
// at any place, by several goroutines at once, as in order.
func TestRowsAt(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, fill2 := range []bool{false, true} {
		for _, rps := range []int{0, 1, 5, 64} {
			t.Run(fmt.Sprintf("fill2=%v/rps=%d", fill2, rps), func(t *testing.T) {
				bm := randomBitmap(r, 517, 301)
				s := bilevelSpec(bm, 0)
				s.Fill2, s.RPS = fill2, rps
				data := build(s)
				img, err := tiff.Open(bytes.NewReader(data), int64(len(data)))
				if err != nil {
					t.Fatal(err)
				}
				ra, ok := img.(codec.RowsAt)
				if !ok {
					t.Fatal("an uncompressed bilevel TIFF does not implement RowsAt")
				}
				got, _ := bitmap.New(bm.Width, bm.Height)
				var wg sync.WaitGroup
				errs := make(chan error, 8)
				for g := range 8 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						var buf []byte
						// Goroutine g reads bands g, g+8, ... of 13 rows.
						for y := 13 * g; y < bm.Height; y += 13 * 8 {
							band := got.Band(y, min(y+13, bm.Height))
							var err error
							if buf, err = ra.ReadRowsAt(band, y, buf); err != nil {
								errs <- err
								return
							}
						}
					}()
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					t.Fatal(err)
				}
				if !got.Equal(bm) {
					t.Fatal("rows read at random places differ")
				}
				seq, err := codec.Decode(img)
				if err != nil || !seq.Equal(bm) {
					t.Fatalf("rows read in order differ: %v", err)
				}
			})
		}
	}
}

// TestPaletteBilevel: a 1-bit palette image reads as bits, by the colour
// of each entry, including palettes of one colour.
func TestPaletteBilevel(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	bm := randomBitmap(r, 99, 17)
	for _, tt := range []struct {
		name string
		cmap []uint16 // R0 R1 G0 G1 B0 B1
	}{
		{"black-white", []uint16{0, 0xffff, 0, 0xffff, 0, 0xffff}},
		{"white-black", []uint16{0xffff, 0, 0xffff, 0, 0xffff, 0}},
		{"red-blue", []uint16{0xffff, 0, 0, 0, 0, 0xffff}},
		{"both light", []uint16{0xffff, 0xc000, 0xffff, 0xc000, 0xffff, 0xc000}},
	} {
		for _, comp := range []int{cNone, cG4, cLZW} {
			t.Run(fmt.Sprintf("%s/%d", tt.name, comp), func(t *testing.T) {
				s := bilevelSpec(bm, 1)
				s.Photo, s.ColorMap, s.Comp = 3, tt.cmap, comp
				got, err := decodeBytes(build(s))
				if err != nil {
					t.Fatal(err)
				}
				if want := expected(s); !got.Equal(want) {
					t.Fatalf("pixels differ:\n%s", diffPicture(got, want))
				}
			})
		}
	}
}
