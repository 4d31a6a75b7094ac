package write

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"testing"

	"github.com/rlec/rlec/internal/codec/tiff/decompress"
)

// seq is the bytes from..to-1.
func seq(from, to int) []byte {
	var b []byte
	for i := from; i < to; i++ {
		b = append(b, byte(i))
	}
	return b
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// TestPackBitsLikeLibtiff: rows coded as tiffcp -c packbits codes them
// (libtiff 4.5), the expected bytes taken from its output.
func TestPackBitsLikeLibtiff(t *testing.T) {
	rep := bytes.Repeat
	b := func(v ...byte) []byte { return v }
	tests := []struct {
		name string
		row  []byte
		want []byte
	}{
		{"one byte", b(1), b(0, 1)},
		{"pair", b(1, 1), b(0xff, 1)},
		{"literal", b(1, 2, 3, 4), b(3, 1, 2, 3, 4)},
		{"run of 3", b(5, 5, 5), b(0xfe, 5)},
		{"literal, run of 2, literal", b(1, 2, 2, 3), b(3, 1, 2, 2, 3)},
		{"run of 2 first", b(2, 2, 3), b(0xff, 2, 0, 3)},
		{"run of 2 last", b(1, 2, 2), b(0, 1, 0xff, 2)},
		{"literal, run of 3, literal", b(1, 2, 2, 2, 3), b(0, 1, 0xfe, 2, 0, 3)},
		{"two runs of 2 in a literal", b(1, 2, 2, 3, 4, 4, 5), b(6, 1, 2, 2, 3, 4, 4, 5)},
		{"run of 128", rep(b(7), 128), b(0x81, 7)},
		{"run of 129", rep(b(7), 129), b(0x81, 7, 0, 7)},
		{"run of 130", rep(b(7), 130), b(0x81, 7, 0xff, 7)},
		{"run of 300", rep(b(0), 300), b(0x81, 0, 0x81, 0, 0xd5, 0)},
		{"literal of 128", seq(0, 128), cat(b(0x7f), seq(0, 128))},
		{"literal of 129", seq(0, 129), cat(b(0x7f), seq(0, 128), b(0, 128))},
		{"literal of 125, run of 2, literal", cat(seq(1, 126), b(0xee, 0xee, 9, 10)), cat(b(0x7f), seq(1, 126), b(0xee, 0xee, 9, 0, 10))},
		{"literal of 123, run of 2, literal", cat(seq(1, 124), b(0xee, 0xee, 9, 10)), cat(b(0x7e), seq(1, 124), b(0xee, 0xee, 9, 10))},
		{"literal, run of 200", cat(b(1, 2), rep(b(0x33), 200), b(4)), b(1, 1, 2, 0x81, 0x33, 0xb9, 0x33, 0, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := appendPackBits(nil, tt.row); !bytes.Equal(got, tt.want) {
				t.Fatalf("got  %s\nwant %s", hex.EncodeToString(got), hex.EncodeToString(tt.want))
			}
		})
	}
}

// FuzzPackBits: any row codes to PackBits that reads back, as libtiff
// reads it, to the row. libtiff's coding may make a row longer by a fifth,
// single bytes and runs of two taking two bytes each: 0 a, ff b, ff c.
func FuzzPackBits(f *testing.F) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{1, 2, 3, 130, 702, 8192} {
		row := make([]byte, n)
		for i := range row {
			if i > 0 && r.IntN(4) > 0 {
				row[i] = row[i-1]
			} else {
				row[i] = byte(r.IntN(4))
			}
		}
		f.Add(row)
	}
	f.Fuzz(func(t *testing.T, row []byte) {
		if len(row) == 0 {
			return
		}
		coded := appendPackBits([]byte{0xaa}, row)[1:]
		if len(coded) > len(row)+len(row)/4+2 {
			t.Fatalf("%d bytes coded in %d", len(row), len(coded))
		}
		d := decompress.NewReader(decompress.Params{Compression: decompress.PackBits, Predictor: 1})
		got := make([]byte, len(row))
		if err := d.Reset(bytes.NewReader(coded), 0, int64(len(coded)), 8*len(row), 1, len(row)); err != nil {
			t.Fatal(err)
		}
		if err := d.ReadRow(got); err != nil || !bytes.Equal(got, row) {
			t.Fatalf("read back %x (%v), want %x", got, err, row)
		}
	})
}

// TestSameBytes: runs found eight bytes at a time end where a byte-by-byte
// search ends them.
func TestSameBytes(t *testing.T) {
	for n := 1; n < 40; n++ {
		for end := 1; end <= n; end++ {
			p := bytes.Repeat([]byte{9}, n)
			if end < n {
				p[end] = 8
			}
			if got := sameBytes(p); got != end {
				t.Fatalf("%d bytes, the first %d alike: got %d", n, end, got)
			}
		}
	}
}
