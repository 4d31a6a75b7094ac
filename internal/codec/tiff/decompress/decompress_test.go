package decompress

import (
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"errors"
	"io"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/ccitt"
	"github.com/rlec/rlec/internal/codec/tiff/tifftest"
)

// readAll resets r to data and reads rows rows of rowBytes bytes.
func readAll(r *Reader, data []byte, n int64, width, rows, rowBytes int) ([]byte, error) {
	if err := r.Reset(bytes.NewReader(data), 0, n, width, rows, rowBytes); err != nil {
		return nil, err
	}
	var out []byte
	row := make([]byte, rowBytes)
	for range rows {
		if err := r.ReadRow(row); err != nil {
			return out, err
		}
		out = append(out, row...)
	}
	return out, nil
}

func randomBytes(r *rand.Rand, n int, runs bool) []byte {
	b := make([]byte, n)
	for i := range b {
		switch {
		case runs && i > 0 && r.IntN(8) > 0:
			b[i] = b[i-1]
		case runs:
			b[i] = byte(r.IntN(3)) * 0x7f
		default:
			b[i] = byte(r.Uint32())
		}
	}
	return b
}

func reversed(b []byte) []byte {
	out := slices.Clone(b)
	for i, c := range out {
		out[i] = bits.Reverse8(c)
	}
	return out
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// TestRoundTrip: data compressed each way reads back, row by row, in
// blocks of several sizes, with FillOrder 1 and 2, and with the same
// Reader from block to block.
func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	comps := []struct {
		name string
		comp int
		code func(raw []byte, rowBytes int) []byte
	}{
		{"none", None, func(raw []byte, _ int) []byte { return raw }},
		{"packbits", PackBits, tifftest.PackBits},
		{"lzw", LZW, func(raw []byte, _ int) []byte { return tifftest.LZW(raw, false, 4094) }},
		{"lzw-old", LZW, func(raw []byte, _ int) []byte { return tifftest.LZW(raw, true, 4094) }},
		{"deflate", Deflate, func(raw []byte, _ int) []byte { return deflate(raw) }},
		{"deflate-z", DeflateZ, func(raw []byte, _ int) []byte { return deflate(raw) }},
	}
	for _, c := range comps {
		for _, fill2 := range []bool{false, true} {
			name := c.name
			if fill2 {
				name += "/fill2"
			}
			t.Run(name, func(t *testing.T) {
				r := NewReader(Params{Compression: c.comp, FillOrder2: fill2, Predictor: 1})
				for _, size := range [][2]int{{1, 1}, {7, 3}, {300, 17}, {4000, 40}, {9000, 5}} {
					rowBytes, rows := size[0], size[1]
					raw := randomBytes(rng, rowBytes*rows, rng.IntN(2) == 0)
					stored := c.code(raw, rowBytes)
					if fill2 {
						stored = reversed(stored)
					}
					for _, n := range []int64{int64(len(stored)), -1} {
						got, err := readAll(r, stored, n, 8*rowBytes, rows, rowBytes)
						if err != nil {
							t.Fatalf("%dx%d, byte count %d: %v", rowBytes, rows, n, err)
						}
						if !bytes.Equal(got, raw) {
							t.Fatalf("%dx%d, byte count %d: rows differ", rowBytes, rows, n)
						}
					}
				}
			})
		}
	}
}

// TestPackBits: libtiff's reading of PackBits, code by code, a row of 4
// bytes at a time: runs and literals crossing rows, -128 a no-op, and data
// that ends inside a code.
func TestPackBits(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		rows int
		want string // the rows, in hex, or a piece of the error
	}{
		{"literal", []byte{3, 1, 2, 3, 4}, 1, "01020304"},
		{"run", []byte{0xfd, 9}, 1, "09090909"},
		{"run across rows", []byte{0xf9, 7}, 2, "0707070707070707"},
		{"literal across rows", []byte{7, 1, 2, 3, 4, 5, 6, 7, 8}, 2, "0102030405060708"},
		{"no-op", []byte{0x80, 0xfd, 5}, 1, "05050505"},
		{"mixed", []byte{1, 1, 2, 0xff, 3, 0x80, 0, 4, 0xfd, 0}, 2, "0102030304000000"},
		{"run header last", []byte{0xfd}, 1, "EOF"},
		{"literal cut", []byte{3, 1, 2}, 1, "EOF"},
		{"too short", []byte{0xfd, 1}, 2, "EOF"},
		{"nothing", nil, 1, "EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(Params{Compression: PackBits, Predictor: 1})
			got, err := readAll(r, tt.data, int64(len(tt.data)), 32, tt.rows, 4)
			if s := hex.EncodeToString(got); err == nil && s != tt.want || err != nil && !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %s (%v), want %s", s, err, tt.want)
			}
		})
	}
}

// TestLZW: what libtiff refuses, and a table that fills up, which libtiff
// goes on reading past 4096 codes until a clear.
func TestLZW(t *testing.T) {
	r := NewReader(Params{Compression: LZW, Predictor: 1})
	bad := []struct {
		name string
		data []byte
		want error
	}{
		{"no clear first", lzwCodes(false, 9, 65, 66, 257), errLZWStart},
		{"code too high", lzwCodes(false, 9, 256, 65, 300, 257), errLZWCode},
		{"not a literal after clear", lzwCodes(false, 9, 256, 258, 257), errLZWLiteral},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAll(r, tt.data, int64(len(tt.data)), 16, 1, 2)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("ends early", func(t *testing.T) {
		data := lzwCodes(false, 9, 256, 65, 257)
		if _, err := readAll(r, data, int64(len(data)), 16, 1, 2); !errors.Is(err, io.EOF) {
			t.Fatalf("got %v, want io.EOF", err)
		}
	})
	// Random bytes need more codes than the table has: a writer clears
	// it when it is full, at 4094 codes as libtiff does, or later, the
	// table then going on past 4096 entries, which libtiff reads and
	// golang.org/x/image/tiff/lzw refuses.
	raw := randomBytes(rand.New(rand.NewPCG(3, 4)), 60000, false)
	for _, clearAt := range []int{4094, 4096, 4200, lzwTableSize} {
		for _, old := range []bool{false, true} {
			got, err := readAll(r, tifftest.LZW(raw, old, clearAt), -1, 8*6000, 10, 6000)
			if err != nil || !bytes.Equal(got, raw) {
				t.Fatalf("clear at %d, old-style %v: %v", clearAt, old, err)
			}
		}
	}
}

// lzwCodes packs codes of a fixed width, new or old style.
func lzwCodes(old bool, width uint, codes ...int) []byte {
	var out []byte
	var acc uint64
	var n uint
	for _, c := range codes {
		if old {
			acc |= uint64(c) << n
		} else {
			acc = acc<<width | uint64(c)
		}
		n += width
		for n >= 8 {
			if old {
				out = append(out, byte(acc))
				acc >>= 8
			} else {
				out = append(out, byte(acc>>(n-8)))
			}
			n -= 8
		}
	}
	if n > 0 {
		if old {
			out = append(out, byte(acc))
		} else {
			out = append(out, byte(acc<<(8-n)))
		}
	}
	return out
}

// TestPredictor: horizontal differencing of 8-, 16- and 32-bit samples in
// both byte orders, one or three samples a pixel, and the floating-point
// predictor, undone after Deflate.
func TestPredictor(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, pred := range []int{2, 3} {
		for _, bps := range []int{8, 16, 32} {
			if pred == 3 && bps != 32 {
				continue
			}
			for _, spp := range []int{1, 3} {
				for _, big := range []bool{false, true} {
					p := Params{Compression: Deflate, Predictor: pred, BitsPerSample: bps, Samples: spp, BigEndian: big}
					const width, rows = 37, 4
					rowBytes := width * spp * bps / 8
					raw := randomBytes(rng, rowBytes*rows, false)
					var stored []byte
					for y := range rows {
						stored = append(stored, predict(raw[y*rowBytes:(y+1)*rowBytes], p)...)
					}
					got, err := readAll(NewReader(p), deflate(stored), -1, width, rows, rowBytes)
					if err != nil || !bytes.Equal(got, raw) {
						t.Fatalf("predictor %d, %d bits, %d samples, big-endian %v: rows differ (%v)", pred, bps, spp, big, err)
					}
				}
			}
		}
	}
}

// predict applies the predictor to a row, as a writer does.
func predict(row []byte, p Params) []byte {
	row = slices.Clone(row)
	o, stride := p.order(), p.Samples
	switch {
	case p.Predictor == 3:
		n := len(row) / 4
		tmp := make([]byte, len(row))
		for c := range n {
			v := o.Uint32(row[4*c:])
			for b := range 4 {
				tmp[b*n+c] = byte(v >> (24 - 8*b))
			}
		}
		for i := len(tmp) - 1; i >= stride; i-- {
			tmp[i] -= tmp[i-stride]
		}
		return tmp
	case p.BitsPerSample == 8:
		for i := len(row) - 1; i >= stride; i-- {
			row[i] -= row[i-stride]
		}
	case p.BitsPerSample == 16:
		for i := len(row)/2 - 1; i >= stride; i-- {
			o.PutUint16(row[2*i:], o.Uint16(row[2*i:])-o.Uint16(row[2*(i-stride):]))
		}
	case p.BitsPerSample == 32:
		for i := len(row)/4 - 1; i >= stride; i-- {
			o.PutUint32(row[4*i:], o.Uint32(row[4*i:])-o.Uint32(row[4*(i-stride):]))
		}
	}
	return row
}

// TestFax: a Group 4 block reads as bitmap rows (ReadFaxRow) and as
// libtiff's bytes, 1 for black (ReadRow), with FillOrder 1 and 2.
func TestFax(t *testing.T) {
	const width, rows = 77, 9
	rng := rand.New(rand.NewPCG(7, 8))
	bm, _ := bitmap.New(width, rows)
	for y := range rows {
		for x := range width {
			bm.Set(x, y, rng.IntN(4) > 0)
		}
	}
	var coded bytes.Buffer
	enc := ccitt.NewT6Encoder(&coded, width)
	for y := range rows {
		enc.WriteRow(bm.Row(y))
	}
	enc.Close()
	for _, fill2 := range []bool{false, true} {
		data := coded.Bytes()
		if fill2 {
			data = reversed(data)
		}
		r := NewReader(Params{Compression: CCITTFax4, FillOrder2: fill2, Predictor: 1})
		if err := r.Reset(bytes.NewReader(data), 0, int64(len(data)), width, rows, 10); err != nil {
			t.Fatal(err)
		}
		row := make([]uint64, bm.Stride)
		for y := range rows {
			if err := r.ReadFaxRow(row); err != nil || !slices.Equal(row, bm.Row(y)) {
				t.Fatalf("fill order 2 %v: row %d differs (%v)", fill2, y, err)
			}
		}
		got, err := readAll(r, data, -1, width, rows, 10)
		if err != nil {
			t.Fatal(err)
		}
		for y := range rows {
			want := make([]uint64, bm.Stride)
			bitmap.LoadRow(want, got[10*y:10*y+10], width, true)
			if !slices.Equal(want, bm.Row(y)) {
				t.Fatalf("fill order 2 %v: bytes of row %d differ", fill2, y)
			}
		}
	}
	t.Run("truncated", func(t *testing.T) {
		r := NewReader(Params{Compression: CCITTFax4, Predictor: 1})
		err := r.Reset(bytes.NewReader(coded.Bytes()), 0, int64(coded.Len())+1, width, rows, 10)
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("got %v, want io.ErrUnexpectedEOF", err)
		}
	})
}

// FuzzReader: any data, in any compression, reads rows or fails, within
// the rows asked for.
func FuzzReader(f *testing.F) {
	raw := randomBytes(rand.New(rand.NewPCG(9, 9)), 600, true)
	f.Add(uint8(0), tifftest.PackBits(raw, 60))
	f.Add(uint8(1), tifftest.LZW(raw, false, 4094))
	f.Add(uint8(1), tifftest.LZW(raw, true, 4094))
	f.Add(uint8(2), deflate(raw))
	f.Add(uint8(3), raw)
	comps := []int{PackBits, LZW, Deflate, CCITTFax4, CCITTFax3, CCITTRLE, None}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		p := Params{Compression: comps[int(which)%len(comps)], Predictor: 1, T4Options: uint64(which>>4) & 5}
		if which&8 != 0 && (p.Compression == LZW || p.Compression == Deflate) {
			p.Predictor, p.BitsPerSample, p.Samples = 2, 16, 1
		}
		readAll(NewReader(p), data, int64(len(data)), 480, 10, 60)
	})
}
