package ccitt

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
)

// textPage draws a page of text-like marks at about 600 dpi: white
// margins, lines of glyphs made of stems and bars a few pixels thick,
// and white between lines, words and letters.
func textPage(w, h int) *bitmap.Bitmap {
	r := rand.New(rand.NewPCG(42, 42))
	bm := flatBitmap(w, h, true)
	black := func(x0, y0, x1, y1 int) {
		for y := max(y0, 0); y < min(y1, h); y++ {
			row := bm.Row(y)
			for x := max(x0, 0); x < min(x1, w); x++ {
				row[x/64] &^= 1 << (63 - x%64)
			}
		}
	}
	margin := w / 10
	for top := h / 12; top+80 < h-h/12; top += 70 {
		x := margin
		for x < w-margin-40 {
			for range 2 + r.IntN(8) { // a word
				gw := 22 + r.IntN(14)
				if x+gw > w-margin {
					break
				}
				asc, desc := 0, 0
				if r.IntN(3) == 0 {
					asc = 14
				}
				if r.IntN(6) == 0 {
					desc = 12
				}
				xt := top + 14 // x-height line
				switch r.IntN(4) {
				case 0: // stem and bowl
					black(x, xt-asc, x+6, xt+30+desc)
					black(x+6, xt, x+gw-4, xt+5)
					black(x+6, xt+25, x+gw-4, xt+30)
					black(x+gw-10, xt, x+gw-4, xt+30)
				case 1: // two stems and an arch
					black(x, xt-asc, x+6, xt+30)
					black(x+gw-10, xt+4, x+gw-4, xt+30+desc)
					black(x+6, xt, x+gw-8, xt+5)
				case 2: // a round letter
					for dy := range 30 {
						inset := max(0, 6-dy, dy-23)
						black(x+inset, xt+dy, x+inset+6, xt+dy+1)
						black(x+gw-4-inset-6, xt+dy, x+gw-4-inset, xt+dy+1)
					}
					black(x+6, xt, x+gw-10, xt+4)
					black(x+6, xt+26, x+gw-10, xt+30)
				default: // a diagonal
					for dy := range 30 + asc {
						dx := dy * (gw - 10) / (30 + asc)
						black(x+dx, xt-asc+dy, x+dx+7, xt-asc+dy+1)
					}
				}
				x += gw + 3
			}
			x += 20
		}
	}
	return bm
}

// benchW and benchH make a 40-Mpixel page: A4-ish at 660 dpi.
const benchW, benchH = 5610, 7260

func benchBitmap(b *testing.B) *bitmap.Bitmap {
	b.Helper()
	return textPage(benchW, benchH)
}

// BenchmarkDecodeT6 reports bytes of packed pixels decoded per second.
func BenchmarkDecodeT6(b *testing.B) {
	bm := benchBitmap(b)
	data := encodeT6(b, bm)
	row := make([]uint64, bm.Stride)
	b.SetBytes(bitmap.PackedSize(bm.Width, bm.Height))
	for b.Loop() {
		d, err := NewDecoder(data, Options{Coding: T6, Width: bm.Width, Height: bm.Height})
		if err != nil {
			b.Fatal(err)
		}
		for range bm.Height {
			if err := d.ReadRow(row); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(data)), "coded-bytes")
}

// BenchmarkDecodeT4 is BenchmarkDecodeT6 for Group 3, one- and
// two-dimensional, as Ghostscript and libtiff write it.
func BenchmarkDecodeT4(b *testing.B) {
	bm := benchBitmap(b)
	for _, c := range []struct {
		name string
		opt  Options
		k    int
	}{
		{"1d", Options{Coding: T4, FillBits: true}, 1},
		{"2d", Options{Coding: T4, TwoD: true, FillBits: true}, 4},
	} {
		b.Run(c.name, func(b *testing.B) {
			data := encodeT4(bm, c.opt, c.k, t4Variant{})
			opt := c.opt
			opt.Width, opt.Height = bm.Width, bm.Height
			row := make([]uint64, bm.Stride)
			b.SetBytes(bitmap.PackedSize(bm.Width, bm.Height))
			for b.Loop() {
				d, _ := NewDecoder(data, opt)
				for range bm.Height {
					if err := d.ReadRow(row); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkEncodeT6 reports bytes of packed pixels coded per second.
func BenchmarkEncodeT6(b *testing.B) {
	bm := benchBitmap(b)
	b.SetBytes(bitmap.PackedSize(bm.Width, bm.Height))
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		e := NewT6Encoder(&buf, bm.Width)
		for y := range bm.Height {
			if err := e.WriteRow(bm.Row(y)); err != nil {
				b.Fatal(err)
			}
		}
		if err := e.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "coded-bytes")
}
