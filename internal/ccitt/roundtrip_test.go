package ccitt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	xccitt "golang.org/x/image/ccitt"

	"github.com/rlec/rlec/internal/bitmap"
)

// Bitmaps for the tests, each made from a seed.

func noiseBitmap(r *rand.Rand, w, h int) *bitmap.Bitmap {
	bm, _ := bitmap.New(w, h)
	for i := range bm.Words {
		bm.Words[i] = r.Uint64()
	}
	maskTails(bm)
	return bm
}

// blobBitmap is mostly white, with black rectangles and lines: runs of
// all lengths, and rows like their neighbours, as on a page.
func blobBitmap(r *rand.Rand, w, h int) *bitmap.Bitmap {
	bm := flatBitmap(w, h, true)
	for range 1 + w*h/400 {
		x0, y0 := r.IntN(w), r.IntN(h)
		x1, y1 := min(w, x0+1+r.IntN(max(1, w/4))), min(h, y0+1+r.IntN(max(1, h/4)))
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				bm.Set(x, y, false)
			}
		}
	}
	for range 1 + h/8 { // specks, some of them white in the black
		bm.Set(r.IntN(w), r.IntN(h), r.IntN(3) == 0)
	}
	return bm
}

func flatBitmap(w, h int, white bool) *bitmap.Bitmap {
	bm, _ := bitmap.New(w, h)
	if white {
		for i := range bm.Words {
			bm.Words[i] = ^uint64(0)
		}
		maskTails(bm)
	}
	return bm
}

func maskTails(bm *bitmap.Bitmap) {
	for y := range bm.Height {
		row := bm.Row(y)
		row[len(row)-1] &= bitmap.TailMask(bm.Width)
	}
}

type testImage struct {
	name string
	bm   *bitmap.Bitmap
}

// testImages are bitmaps of every kind, at widths 1 to 300 and 1728 and
// odd heights.
func testImages() []testImage {
	r := rand.New(rand.NewPCG(7, 11))
	var out []testImage
	add := func(kind string, bm *bitmap.Bitmap) {
		out = append(out, testImage{fmt.Sprintf("%s_%dx%d", kind, bm.Width, bm.Height), bm})
	}
	for w := 1; w <= 300; w += 1 + w/8 {
		h := 1 + r.IntN(13)
		add("noise", noiseBitmap(r, w, h))
		add("blobs", blobBitmap(r, w, h+20))
	}
	for _, w := range []int{1, 63, 64, 65, 1728} {
		add("white", flatBitmap(w, 3, true))
		add("black", flatBitmap(w, 3, false))
	}
	add("blobs", blobBitmap(r, 1728, 101))
	add("noise", noiseBitmap(r, 1728, 9))
	add("blobs", blobBitmap(r, 5000, 17)) // runs past 2560
	add("white", flatBitmap(6000, 2, true))
	add("black", flatBitmap(6000, 2, false))
	return out
}

func encodeT6(t testing.TB, bm *bitmap.Bitmap) []byte {
	t.Helper()
	var buf bytes.Buffer
	e := NewT6Encoder(&buf, bm.Width)
	for y := range bm.Height {
		if err := e.WriteRow(bm.Row(y)); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// decodeAll decodes rows until ReadRow fails, and returns them with the
// error (io.EOF at a clean end).
func decodeAll(data []byte, opt Options) (*bitmap.Bitmap, error) {
	d, err := NewDecoder(data, opt)
	if err != nil {
		return nil, err
	}
	bm := &bitmap.Bitmap{Width: opt.Width, Stride: bitmap.WordsPerRow(opt.Width)}
	row := make([]uint64, bm.Stride)
	for {
		if err := d.ReadRow(row); err != nil {
			return bm, err
		}
		bm.Words = append(bm.Words, row...)
		bm.Height++
	}
}

func checkSame(t *testing.T, got, want *bitmap.Bitmap) {
	t.Helper()
	if got.Width != want.Width || got.Height != want.Height {
		t.Fatalf("got %dx%d, want %dx%d", got.Width, got.Height, want.Width, want.Height)
	}
	for y := range want.Height {
		for x := range want.Width {
			if got.At(x, y) != want.At(x, y) {
				t.Fatalf("pixel (%d, %d) is %v, want %v", x, y, got.At(x, y), want.At(x, y))
			}
		}
	}
	if !got.Equal(want) {
		t.Fatal("bits past the width differ")
	}
}

// TestRoundTripT6 codes bitmaps with the encoder and reads them back, with
// the decoder and with golang.org/x/image/ccitt, which reads T.6 right
// (its output is a byte-aligned row of bits, 1 for white, as here).
func TestRoundTripT6(t *testing.T) {
	for _, ti := range testImages() {
		t.Run(ti.name, func(t *testing.T) {
			bm := ti.bm
			data := encodeT6(t, bm)
			got, err := decodeAll(data, Options{Coding: T6, Width: bm.Width, Height: bm.Height})
			if err != io.EOF {
				t.Fatalf("decoding: %v", err)
			}
			checkSame(t, got, bm)
			got, err = decodeAll(data, Options{Coding: T6, Width: bm.Width}) // to the EOFB
			if err != io.EOF {
				t.Fatalf("decoding without a height: %v", err)
			}
			checkSame(t, got, bm)

			xr := xccitt.NewReader(bytes.NewReader(data), xccitt.MSB, xccitt.Group4, bm.Width, bm.Height, nil)
			xdata, err := io.ReadAll(xr)
			if err != nil {
				t.Fatalf("x/image/ccitt: %v", err)
			}
			var want []byte
			for y := range bm.Height {
				want = bitmap.AppendRowBytes(want, bm.Row(y), bitmap.PackedStride(bm.Width))
			}
			if !bytes.Equal(xdata, want) {
				t.Fatal("x/image/ccitt reads other pixels")
			}
		})
	}
}

// encodeT4 codes bm as modified Huffman or T.4, two-dimensional rows
// (when opt.TwoD) between one-dimensional ones every k rows, as libtiff
// lays them out. The variants add what other writers do.
type t4Variant struct {
	noFirstEOL bool // no EOL before the first row
	leadEOLs   int  // extra EOLs before the first
	rtc        bool // six EOLs after the last row
}

func encodeT4(bm *bitmap.Bitmap, opt Options, k int, v t4Variant) []byte {
	e := NewT6Encoder(io.Discard, bm.Width)
	bw := &e.bw
	w := int32(bm.Width)
	eol := func(tag int) {
		if opt.FillBits {
			pos := 8*len(bw.buf) + int(bw.n)
			bw.put(codeWord{0, uint((8 - (pos+12)%8) % 8)})
		}
		bw.put(eolCode)
		if opt.TwoD {
			bw.put(codeWord{uint32(tag), 1})
		}
	}
	for range v.leadEOLs {
		eol(1)
	}
	for y := range bm.Height {
		cur := append(appendChanges(nil, bm.Row(y), bm.Width), w, w, w)
		twoD := opt.TwoD && y%k != 0
		if opt.Coding == T4 && (y > 0 || !v.noFirstEOL) {
			tag := 1
			if twoD {
				tag = 0
			}
			eol(tag)
		}
		if twoD {
			e.encode2D(cur, e.ref)
		} else {
			prev := int32(0)
			n := len(cur) - 3
			for i, c := range cur[:n] {
				bw.putRun(i&1, int(c-prev))
				prev = c
			}
			bw.putRun(n&1, int(w-prev))
		}
		if opt.Coding == ModifiedHuffman {
			bw.pad()
		}
		e.ref = cur
	}
	if v.rtc {
		for range 6 {
			eol(1)
		}
	}
	bw.pad()
	return bw.buf
}

// TestRoundTripT4 reads bitmaps coded by encodeT4 in every layout.
func TestRoundTripT4(t *testing.T) {
	layouts := []struct {
		name string
		opt  Options
		k    int
		v    t4Variant
	}{
		{"mh", Options{Coding: ModifiedHuffman}, 1, t4Variant{}},
		{"1d", Options{Coding: T4}, 1, t4Variant{}},
		{"1d_fill", Options{Coding: T4, FillBits: true}, 1, t4Variant{}},
		{"1d_rtc", Options{Coding: T4}, 1, t4Variant{rtc: true}},
		{"1d_noeol", Options{Coding: T4}, 1, t4Variant{noFirstEOL: true}},
		{"1d_leadeols", Options{Coding: T4, FillBits: true}, 1, t4Variant{leadEOLs: 3, rtc: true}},
		{"2d_k2", Options{Coding: T4, TwoD: true}, 2, t4Variant{}},
		{"2d_k4_fill", Options{Coding: T4, TwoD: true, FillBits: true}, 4, t4Variant{rtc: true}},
		{"2d_k1000", Options{Coding: T4, TwoD: true}, 1000, t4Variant{}},
		{"2d_noeol", Options{Coding: T4, TwoD: true}, 3, t4Variant{noFirstEOL: true}},
		{"2d_leadeols", Options{Coding: T4, TwoD: true}, 3, t4Variant{leadEOLs: 2, rtc: true}},
	}
	images := testImages()
	for _, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			for _, ti := range images {
				bm := ti.bm
				data := encodeT4(bm, l.opt, l.k, l.v)
				opt := l.opt
				opt.Width, opt.Height = bm.Width, bm.Height
				// Whether the data says it or not, fill bits are read.
				opt.FillBits = !opt.FillBits
				got, err := decodeAll(data, opt)
				if err != io.EOF {
					t.Fatalf("%s: %v", ti.name, err)
				}
				checkSame(t, got, bm)
				opt.Height = 0
				got, err = decodeAll(data, opt)
				if err != io.EOF {
					t.Fatalf("%s, no height: %v", ti.name, err)
				}
				checkSame(t, got, bm)
			}
		})
	}
}

// TestDataEndsEarly cuts coded data short: with the height known, the
// decoder says where the data ended, unless only what follows the last
// row (an EOFB, padding) was cut.
func TestDataEndsEarly(t *testing.T) {
	bm := blobBitmap(rand.New(rand.NewPCG(3, 4)), 200, 40)
	for _, c := range []struct {
		name string
		opt  Options
		data []byte
	}{
		{"t6", Options{Coding: T6}, encodeT6(t, bm)},
		{"t4", Options{Coding: T4}, encodeT4(bm, Options{Coding: T4}, 1, t4Variant{})},
		{"t4_2d", Options{Coding: T4, TwoD: true}, encodeT4(bm, Options{Coding: T4, TwoD: true}, 4, t4Variant{})},
		{"mh", Options{Coding: ModifiedHuffman}, encodeT4(bm, Options{Coding: ModifiedHuffman}, 1, t4Variant{})},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.opt.Width, c.opt.Height = bm.Width, bm.Height
			for n := range len(c.data) {
				got, err := decodeAll(c.data[:n], c.opt)
				if err == io.EOF { // only what follows the last row was cut
					if n < len(c.data)-4 {
						t.Fatalf("cut to %d of %d bytes: read as whole", n, len(c.data))
					}
					checkSame(t, got, bm)
					continue
				}
				var fe *Error
				if !errors.As(err, &fe) {
					t.Fatalf("cut to %d of %d bytes: %v", n, len(c.data), err)
				}
			}
		})
	}
}

// TestEncoderIgnoresPadding codes rows whose bits past the width are set:
// they must not change the output.
func TestEncoderIgnoresPadding(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for _, w := range []int{1, 5, 63, 65, 100} {
		bm := noiseBitmap(r, w, 7)
		dirty := &bitmap.Bitmap{Width: w, Height: bm.Height, Stride: bm.Stride, Words: append([]uint64(nil), bm.Words...)}
		for y := range dirty.Height {
			row := dirty.Row(y)
			row[len(row)-1] |= ^bitmap.TailMask(w)
		}
		if !bytes.Equal(encodeT6(t, bm), encodeT6(t, dirty)) {
			t.Errorf("width %d: bits past the width change the coding", w)
		}
	}
}

type failingWriter struct{ n int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("disk full")
	}
	f.n--
	return len(p), nil
}

func TestEncoderErrors(t *testing.T) {
	if err := NewT6Encoder(io.Discard, 0).WriteRow(nil); err == nil {
		t.Error("a 0-pixel encoder wrote a row")
	}
	e := NewT6Encoder(io.Discard, 100)
	if err := e.WriteRow(make([]uint64, 1)); err == nil {
		t.Error("a 1-word row of 100 pixels was written")
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.WriteRow(make([]uint64, 2)); err == nil {
		t.Error("a row was written after Close")
	}

	// A write error stops the encoder; it is returned by WriteRow or Close.
	bm := noiseBitmap(rand.New(rand.NewPCG(1, 2)), 3000, 200)
	e = NewT6Encoder(&failingWriter{n: 1}, bm.Width)
	var err error
	for y := 0; y < bm.Height && err == nil; y++ {
		err = e.WriteRow(bm.Row(y))
	}
	if err == nil {
		err = e.Close()
	}
	if err == nil || err.Error() != "disk full" {
		t.Errorf("got %v, want the writer's error", err)
	}
	if err2 := e.Close(); err2 != err {
		t.Errorf("Close after the error gave %v", err2)
	}
}

// TestEncoderNoRows writes an EOFB alone, which decodes to no rows.
func TestEncoderNoRows(t *testing.T) {
	var buf bytes.Buffer
	if err := NewT6Encoder(&buf, 10).Close(); err != nil {
		t.Fatal(err)
	}
	if got := buf.Bytes(); !bytes.Equal(got, []byte{0x00, 0x10, 0x01}) {
		t.Fatalf("got % x", got)
	}
	bm, err := decodeAll(buf.Bytes(), Options{Coding: T6, Width: 10})
	if err != io.EOF || bm.Height != 0 {
		t.Fatalf("%d rows, %v", bm.Height, err)
	}
}
