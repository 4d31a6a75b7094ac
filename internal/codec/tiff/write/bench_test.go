package write_test

import (
	"io"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/tiff"
	"github.com/rlec/rlec/internal/codec/tiff/write"
)

// benchPage is the page the benchmarks write: the TIFF named by
// $RLEC_BENCH_TIFF when it is set (a rendered page: see
// shared/scripts/make-workloads.sh), else a page of text-like marks of the
// same size, 40 Mpixel, A4 at 660 dpi.
func benchPage(b *testing.B) *bitmap.Bitmap {
	b.Helper()
	if name := os.Getenv("RLEC_BENCH_TIFF"); name != "" {
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		fi, _ := f.Stat()
		bm, err := tiff.Decode(f, fi.Size())
		if err != nil {
			b.Fatal(err)
		}
		return bm
	}
	const w, h = 5610, 7260
	r := rand.New(rand.NewPCG(42, 42))
	bm, _ := bitmap.New(w, h)
	for y := range h {
		row := bm.Row(y)
		for i := range row {
			row[i] = ^uint64(0)
		}
		row[len(row)-1] &= bitmap.TailMask(w)
	}
	// Lines of words of glyph-sized blocks with holes, 80 rows apart.
	for top := 600; top+60 < h-600; top += 80 {
		for x := 500; x < w-560; {
			for range 2 + r.IntN(8) {
				gw := 22 + r.IntN(14)
				for y := top; y < top+40; y++ {
					for dx := range gw {
						if dx < 6 || dx >= gw-6 || y < top+5 || y >= top+35 {
							bm.Set(x+dx, y, false)
						}
					}
				}
				x += gw + 4
			}
			x += 24
		}
	}
	return bm
}

// benchEncode writes the page in compression comp, to a file-like writer
// as rlec writes its outputs, and reports the size written.
func benchEncode(b *testing.B, comp string) {
	bm := benchPage(b)
	var out fileBuf
	b.SetBytes(bitmap.PackedSize(bm.Width, bm.Height))
	for b.Loop() {
		out.data, out.off = out.data[:0], 0
		enc, err := write.NewEncoder(&out, bm.Width, bm.Height, codec.WriteOptions{Compression: comp, DPI: 660})
		if err != nil {
			b.Fatal(err)
		}
		for y := 0; y < bm.Height; y += 256 {
			if err := enc.WriteRows(bm.Band(y, min(y+256, bm.Height))); err != nil {
				b.Fatal(err)
			}
		}
		if err := enc.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(out.data)), "file-bytes")
}

// BenchmarkEncodeG4 writes a page in Group 4, rlec decompress's default.
func BenchmarkEncodeG4(b *testing.B) { benchEncode(b, "g4") }

// BenchmarkEncodePackBits writes a page in PackBits.
func BenchmarkEncodePackBits(b *testing.B) { benchEncode(b, "packbits") }

// BenchmarkEncodeNone writes a page uncompressed.
func BenchmarkEncodeNone(b *testing.B) { benchEncode(b, "none") }

// BenchmarkEncodeG4Stream writes a page in Group 4 to a stream, which
// holds the coded page until Close.
func BenchmarkEncodeG4Stream(b *testing.B) {
	bm := benchPage(b)
	b.SetBytes(bitmap.PackedSize(bm.Width, bm.Height))
	for b.Loop() {
		enc, _ := write.NewEncoder(stream{io.Discard}, bm.Width, bm.Height, codec.WriteOptions{})
		if err := enc.WriteRows(bm); err != nil {
			b.Fatal(err)
		}
		if err := enc.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
