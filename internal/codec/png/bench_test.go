package png_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/png"
)

// benchPage is a 1-bit page: the PNG $RLEC_BENCH_PNG names, or else a
// 5610x7260 page (A4 at 660 dpi, 40 Mpixel) of lines of text-like marks,
// made here and written by the package's encoder.
func benchPage(b *testing.B) (*bitmap.Bitmap, []byte) {
	b.Helper()
	if name := os.Getenv("RLEC_BENCH_PNG"); name != "" {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		bm, err := decode(data)
		if err != nil {
			b.Fatal(err)
		}
		return bm, data
	}
	bm := syntheticPage(5610, 7260)
	var out bytes.Buffer
	enc, _ := png.NewEncoder(&out, bm.Width, bm.Height, codec.WriteOptions{DPI: 660})
	if err := enc.WriteRows(bm); err != nil {
		b.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		b.Fatal(err)
	}
	return bm, out.Bytes()
}

// syntheticPage is white paper with margins and lines of black marks the
// size of letters at 660 dpi, each a few solid strokes.
func syntheticPage(w, h int) *bitmap.Bitmap {
	r := rand.New(rand.NewPCG(21, 22))
	bm, _ := bitmap.New(w, h)
	for y := range h {
		row := bm.Row(y)
		for i := range row {
			row[i] = ^uint64(0)
		}
		row[len(row)-1] &= bitmap.TailMask(w)
	}
	const line, glyph, stroke = 110, 60, 8
	for top := 600; top+line < h-600; top += line {
		for x := 500; x+glyph < w-500; x += glyph + 10 {
			if r.IntN(7) == 0 {
				continue // a space
			}
			for range 2 + r.IntN(3) {
				// A vertical or a horizontal stroke.
				x0, y0, sw, sh := x+r.IntN(glyph-stroke), top+r.IntN(glyph-stroke), stroke, glyph-r.IntN(glyph/2)
				if r.IntN(2) == 0 {
					sw, sh = sh, sw
				}
				for y := y0; y < min(y0+sh, top+glyph); y++ {
					for xx := x0; xx < min(x0+sw, x+glyph); xx++ {
						bm.Set(xx, y, false)
					}
				}
			}
		}
	}
	return bm
}

// idatStream is the zlib stream of a PNG's image data.
func idatStream(data []byte) []byte {
	var z []byte
	for off := 8; off+8 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[off:]))
		if string(data[off+4:off+8]) == "IDAT" {
			z = append(z, data[off+8:off+8+n]...)
		}
		off += 12 + n
	}
	return z
}

// BenchmarkDecode1Bit reads a 1-bit page into the bitset, from memory;
// throughput is of the page's packed pixels.
func BenchmarkDecode1Bit(b *testing.B) {
	bm, data := benchPage(b)
	band, _ := bitmap.New(bm.Width, max(1, (1<<19)/bm.Width))
	b.SetBytes(bitmap.PackedSize(bm.Width, bm.Height))
	b.ReportAllocs()
	for b.Loop() {
		img, err := png.Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		for y := 0; y < bm.Height; y += band.Height {
			if err := img.ReadRows(band.Band(0, min(band.Height, bm.Height-y))); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkInflate is compress/zlib alone inflating the page's image data:
// the bound on BenchmarkDecode1Bit. Throughput is of the page's packed
// pixels, as there.
func BenchmarkInflate(b *testing.B) {
	bm, data := benchPage(b)
	z := idatStream(data)
	b.SetBytes(bitmap.PackedSize(bm.Width, bm.Height))
	b.ReportAllocs()
	for b.Loop() {
		zr, err := zlib.NewReader(bytes.NewReader(z))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, zr); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncode writes the page as a 1-bit PNG at each zlib level, and
// reports the file's size.
func BenchmarkEncode(b *testing.B) {
	bm, _ := benchPage(b)
	for _, level := range []int{zlib.HuffmanOnly, zlib.BestSpeed, 2, 3, 4, zlib.DefaultCompression, 9} {
		b.Run(fmt.Sprintf("level%d", level), func(b *testing.B) {
			var out countWriter
			b.SetBytes(bitmap.PackedSize(bm.Width, bm.Height))
			for b.Loop() {
				out = 0
				enc, err := png.NewEncoderLevel(&out, bm.Width, bm.Height, codec.WriteOptions{}, level)
				if err != nil {
					b.Fatal(err)
				}
				for y := 0; y < bm.Height; y += 64 {
					if err := enc.WriteRows(bm.Band(y, min(y+64, bm.Height))); err != nil {
						b.Fatal(err)
					}
				}
				if err := enc.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(out), "file-bytes")
		})
	}
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}
