package rle_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec/bmp"
	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
	"github.com/rlec/rlec/internal/rle"
)

// benchPage decodes the page benchmarks run on (bmptest.BenchPage).
func benchPage(b *testing.B) *bitmap.Bitmap {
	b.Helper()
	_, data := bmptest.BenchPage(b)
	bm, err := bmp.Decode(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	return bm
}

// encodedPage is the bench page and its .rle encoding.
func encodedPage(b *testing.B) (*bitmap.Bitmap, []byte) {
	bm := benchPage(b)
	var buf bytes.Buffer
	if err := rle.Encode(&buf, bm); err != nil {
		b.Fatal(err)
	}
	return bm, buf.Bytes()
}

// BenchmarkEncode reports bytes of packed input per second.
func BenchmarkEncode(b *testing.B) {
	bm := benchPage(b)
	b.SetBytes(bitmap.PackedSize(bm.Width, bm.Height))
	for b.Loop() {
		if err := rle.Encode(io.Discard, bm); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode reports bytes of packed output per second, decoding band
// by band into a reused bitmap as decompress does.
func BenchmarkDecode(b *testing.B) {
	bm, data := encodedPage(b)
	band, _ := bitmap.New(bm.Width, 64)
	b.SetBytes(bitmap.PackedSize(bm.Width, bm.Height))
	for b.Loop() {
		d, err := rle.NewDecoder(data)
		if err != nil {
			b.Fatal(err)
		}
		for y := 0; y < bm.Height; y += band.Height {
			if err := d.ReadRows(band.Band(0, min(band.Height, bm.Height-y))); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := d.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeBMP reports bytes of packed output per second, decoding
// with ReadRowBytes into the rows of a reused BMP block, as decompress does.
func BenchmarkDecodeBMP(b *testing.B) {
	bm, data := encodedPage(b)
	stride := bmp.Stride(bm.Width)
	rows := max(1, (1<<19)/bm.Width)
	block := make([]byte, rows*stride)
	b.SetBytes(bitmap.PackedSize(bm.Width, bm.Height))
	for b.Loop() {
		d, err := rle.NewDecoder(data)
		if err != nil {
			b.Fatal(err)
		}
		for y := range bm.Height {
			i := rows - 1 - y%rows // bottom-up, as in a BMP
			if err := d.ReadRowBytes(block[i*stride:(i+1)*stride], false); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := d.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScan reports bytes of packed image per second checked by Scan
// (verify and info).
func BenchmarkScan(b *testing.B) {
	bm, data := encodedPage(b)
	b.SetBytes(bitmap.PackedSize(bm.Width, bm.Height))
	for b.Loop() {
		if _, err := rle.Scan(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSplit reports bytes of packed image per second that Split cuts
// into blocks of 64 rows, as the pool strategy's decompression does.
func BenchmarkSplit(b *testing.B) {
	bm, data := encodedPage(b)
	b.SetBytes(bitmap.PackedSize(bm.Width, bm.Height))
	for b.Loop() {
		d, err := rle.NewDecoder(data)
		if err != nil {
			b.Fatal(err)
		}
		for y := 0; y < bm.Height; y += 64 {
			if _, err := d.Split(min(64, bm.Height-y)); err != nil {
				b.Fatal(err)
			}
		}
	}
}
