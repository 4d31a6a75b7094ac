package rle_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/rle"
)

// naiveEncode is FORMAT.md read literally, pixel by pixel: the oracle the
// word-level encoder is checked against.
func naiveEncode(bm *bitmap.Bitmap) []byte {
	out := rle.AppendHeader(nil, bm.Width, bm.Height)
	for y := range bm.Height {
		for start := 0; start < bm.Width; start += 127 {
			end := min(start+127, bm.Width)
			for x := start; x < end; {
				v := bm.At(x, y)
				n := 0
				for x+n < end && bm.At(x+n, y) == v {
					n++
				}
				b := byte(n)
				if v {
					b |= 0x80
				}
				out = append(out, b)
				x += n
			}
		}
	}
	return out
}

// randomBitmap makes an image whose runs have lengths spread over 1..300, so
// runs cross words and chunks in every way.
func randomBitmap(r *rand.Rand, w, h int) *bitmap.Bitmap {
	bm, err := bitmap.New(w, h)
	if err != nil {
		panic(err)
	}
	maxRun := []int{1, 3, 70, 300}[r.IntN(4)]
	for y := range h {
		white := r.IntN(2) == 0
		for x := 0; x < w; {
			n := 1 + r.IntN(maxRun)
			for ; n > 0 && x < w; n-- {
				bm.Set(x, y, white)
				x++
			}
			white = !white
		}
	}
	return bm
}

func encode(t testing.TB, bm *bitmap.Bitmap) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := rle.Encode(&buf, bm); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFormatExample(t *testing.T) {
	bm, _ := bitmap.New(9, 1)
	bm.Set(4, 0, true)
	bm.Set(5, 0, true)
	want := []byte{9, 0, 1, 0, 0x04, 0x82, 0x03}
	if got := encode(t, bm); !bytes.Equal(got, want) {
		t.Fatalf("000011000 encodes as % x, want % x", got, want)
	}
}

func TestEncodeMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	widths := []int{1, 2, 63, 64, 65, 126, 127, 128, 129, 191, 192, 253, 254, 255, 256, 381, 1000}
	for range 20 {
		widths = append(widths, 1+r.IntN(700))
	}
	for _, w := range widths {
		bm := randomBitmap(r, w, 1+r.IntN(20))
		if got, want := encode(t, bm), naiveEncode(bm); !bytes.Equal(got, want) {
			t.Fatalf("width %d: word-level encoder differs from the naive one", w)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		bm := randomBitmap(r, 1+r.IntN(600), 1+r.IntN(30))
		data := encode(t, bm)
		back, err := rle.Decode(data)
		if err != nil {
			t.Fatalf("%dx%d: %v", bm.Width, bm.Height, err)
		}
		if !back.Equal(bm) {
			t.Fatalf("%dx%d: decode(encode(image)) differs from the image", bm.Width, bm.Height)
		}
		st, err := rle.Scan(data)
		if err != nil || st.NonCanonical != 0 || st.Runs != int64(len(data)-rle.HeaderSize) {
			t.Fatalf("scan of an encoder's output: %+v, %v", st, err)
		}
	}
}

// TestEmptyImages: an image with no pixels is neither written nor read,
// since the reference's decoder cannot read one.
func TestEmptyImages(t *testing.T) {
	for _, size := range [][2]int{{0, 0}, {0, 5}, {5, 0}} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			bm, _ := bitmap.New(size[0], size[1])
			if err := rle.Encode(io.Discard, bm); err == nil {
				t.Error("encoded")
			}
			data := rle.AppendHeader(nil, size[0], size[1])
			for name, read := range map[string]func([]byte) error{
				"Decode": func(d []byte) error { _, err := rle.Decode(d); return err },
				"Scan":   func(d []byte) error { _, err := rle.Scan(d); return err },
			} {
				var e *rle.Error
				if err := read(data); !errors.As(err, &e) || e.Offset != 0 || !strings.Contains(err.Error(), "at least 1x1") {
					t.Errorf("%s: %v", name, err)
				}
			}
		})
	}
}

// TestBound: a stream is read no farther than its header allows, and stops
// at a run of length 0, but not at header bytes that look like one.
func TestBound(t *testing.T) {
	for _, tc := range []struct {
		head  []byte
		limit int64
	}{
		{[]byte{3, 0, 2, 0}, 10},
		{[]byte{0x80, 0, 0, 1}, 4 + 128*256},
		{[]byte{0, 0, 9, 9}, 4}, // no pixels: nothing to read past the header
		{[]byte{1}, 1},
	} {
		if got := new(rle.Bound).Limit(tc.head); got != tc.limit {
			t.Errorf("Limit(% x) = %d, want %d", tc.head, got, tc.limit)
		}
	}
	b := new(rle.Bound)
	if b.Stop([]byte{0x80, 0, 0x80, 0, 0x81, 0x01}) {
		t.Error("stopped at the header")
	}
	if !b.Stop([]byte{0x81, 0x80}) || !new(rle.Bound).Stop([]byte{1, 0, 1, 0, 0}) {
		t.Error("did not stop at a zero-length run")
	}
}

func TestDecodeErrors(t *testing.T) {
	hdr := func(w, h int, body ...byte) []byte { return append(rle.AppendHeader(nil, w, h), body...) }
	tests := []struct {
		name   string
		data   []byte
		offset int64
	}{
		{"empty file", nil, 0},
		{"short header", []byte{1, 0, 1}, 3},
		{"zero-length run", hdr(3, 1, 0x01, 0x00, 0x02), 5},
		{"white zero-length run", hdr(3, 1, 0x80, 0x83), 4},
		{"run past the chunk", hdr(3, 1, 0x02, 0x82), 5},
		{"run past a full chunk", hdr(200, 1, 0x7f, 0x80|74), 5},
		{"body too short for the header", hdr(10, 2, 0x0a), 5},
		{"truncated mid-row", hdr(10, 2, 0x0a, 0x05), 6},
		{"trailing data", hdr(3, 1, 0x83, 0x01), 5},
		{"huge header over a tiny body", hdr(65535, 65535, 1, 2, 3, 4, 5, 6), 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rle.Decode(tt.data)
			var re *rle.Error
			if !errors.As(err, &re) {
				t.Fatalf("got %v, want an *rle.Error", err)
			}
			if re.Offset != tt.offset {
				t.Fatalf("offset %d (%v), want %d", re.Offset, err, tt.offset)
			}
			if _, err := rle.Scan(tt.data); err == nil {
				t.Fatal("Scan accepted what Decode refused")
			}
		})
	}
}

func TestHugeHeaderAllocatesNothing(t *testing.T) {
	data := append(rle.AppendHeader(nil, 65535, 65535), 1, 2, 3, 4, 5, 6)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := rle.Decode(data); err == nil {
		t.Fatal("accepted a 65535x65535 header over 6 bytes")
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Fatalf("refusing the file allocated %d bytes", grew)
	}
}

func TestScanReportsNonCanonical(t *testing.T) {
	data := append(rle.AppendHeader(nil, 5, 1), 0x02, 0x03) // black 2, black 3
	st, err := rle.Scan(data)
	if err != nil {
		t.Fatal(err)
	}
	if st.NonCanonical != 1 || st.FirstNonCanonical != 5 || st.Runs != 2 || st.Chunks != 1 {
		t.Fatalf("got %+v", st)
	}
	bm, err := rle.Decode(data)
	if err != nil || bm.At(0, 0) || bm.At(4, 0) {
		t.Fatalf("non-canonical file decoded wrongly: %v", err)
	}
}

// TestBlankRows: rows all white, which the encoder and the decoder treat
// apart, among rows white but for one pixel at the start, the middle or the
// end, encode as the format says, round-trip and are counted. The widths
// fill the encoder's groups of four words or leave some over, up to the
// widest.
func TestBlankRows(t *testing.T) {
	for _, w := range []int{1, 64, 127, 128, 300, 321, 576, 1000, bitmap.MaxDimension} {
		bm, _ := bitmap.New(w, 8)
		for y := range bm.Height {
			for x := range w {
				bm.Set(x, y, y%2 == 0 || y == 3 && x != w-1 || y == 5 && x != 0 || y == 7 && x != w/2)
			}
		}
		data := encode(t, bm)
		if !bytes.Equal(data, naiveEncode(bm)) {
			t.Fatalf("width %d: encoder differs from the naive one", w)
		}
		back, err := rle.Decode(data)
		if err != nil || !back.Equal(bm) {
			t.Fatalf("width %d: %v", w, err)
		}
		d, _ := rle.NewDecoder(data)
		d.ReadRows(back)
		if st, err := d.Close(); err != nil || st.Runs != int64(len(data)-rle.HeaderSize) {
			t.Errorf("width %d: %d runs counted, the file has %d (%v)", w, st.Runs, len(data)-rle.HeaderSize, err)
		}
	}
}

// decodeSplit decodes data as the pool strategy does: n rows at a time cut
// off by Split, each part read and closed on its own.
func decodeSplit(data []byte, n int) (*bitmap.Bitmap, error) {
	d, err := rle.NewDecoder(data)
	if err != nil {
		return nil, err
	}
	h := d.Header()
	bm, err := bitmap.New(h.Width, h.Height)
	if err != nil {
		return nil, err
	}
	for y := 0; y < h.Height; y += n {
		part, err := d.Split(min(n, h.Height-y))
		if err != nil {
			return nil, err
		}
		if err := part.ReadRows(bm.Band(y, min(y+n, h.Height))); err != nil {
			return nil, err
		}
		if _, err := part.Close(); err != nil {
			return nil, err
		}
	}
	_, err = d.Close()
	return bm, err
}

// TestSplit: decoding in parts cut off by Split gives the image Decode
// gives, and refuses what Decode refuses, whatever byte is damaged.
func TestSplit(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 40 {
		w, h := 1+r.IntN(700), 1+r.IntN(40)
		data := encode(t, randomBitmap(r, w, h))
		for range 20 {
			bad := bytes.Clone(data)
			switch r.IntN(3) {
			case 0:
				bad[rle.HeaderSize+r.IntN(len(bad)-rle.HeaderSize)] ^= byte(1 + r.IntN(255))
			case 1:
				bad = bad[:rle.HeaderSize+r.IntN(len(bad)-rle.HeaderSize)]
			case 2:
				bad = append(bad, byte(r.IntN(256)))
			}
			for _, in := range [][]byte{data, bad} {
				want, wantErr := rle.Decode(in)
				n := 1 + r.IntN(h)
				got, err := decodeSplit(in, n)
				if (err == nil) != (wantErr == nil) || err == nil && !got.Equal(want) {
					t.Fatalf("%dx%d split every %d rows: %v; Decode says %v", w, h, n, err, wantErr)
				}
			}
		}
	}
	d, _ := rle.NewDecoder([]byte{1, 0, 2, 0, 0x81, 0x01}) // 1x2: white, black
	if _, err := d.Split(3); err == nil {
		t.Error("Split cut 3 rows off a 2-row image")
	}
}

// decodeRowBytes decodes data with ReadRowBytes into rows of (width+7)/8+pad
// bytes, filled with garbage first, inverted or not, and closes the
// decoder.
func decodeRowBytes(data []byte, pad int, invert bool) ([][]byte, error) {
	d, err := rle.NewDecoder(data)
	if err != nil {
		return nil, err
	}
	h := d.Header()
	rows := make([][]byte, h.Height)
	for y := range rows {
		rows[y] = bytes.Repeat([]byte{0xa5}, (h.Width+7)/8+pad)
		if err := d.ReadRowBytes(rows[y], invert); err != nil {
			return nil, err
		}
	}
	_, err = d.Close()
	return rows, err
}

// packedRow is row y of bm as n bytes, most significant bit first, white
// as 1 (or black, inverted), zeros after the pixels: what ReadRowBytes
// writes, built pixel by pixel.
func packedRow(bm *bitmap.Bitmap, y, n int, invert bool) []byte {
	row := make([]byte, n)
	for x := range bm.Width {
		if bm.At(x, y) != invert {
			row[x/8] |= 0x80 >> (x % 8)
		}
	}
	return row
}

// checkRowBytes fails unless rows are bm's rows as ReadRowBytes writes them.
func checkRowBytes(t *testing.T, bm *bitmap.Bitmap, rows [][]byte, invert bool) {
	t.Helper()
	if len(rows) != bm.Height {
		t.Fatalf("%dx%d: %d rows read", bm.Width, bm.Height, len(rows))
	}
	for y, row := range rows {
		if want := packedRow(bm, y, len(row), invert); !bytes.Equal(row, want) {
			t.Fatalf("%dx%d, row %d of %d bytes:\n got % x\nwant % x", bm.Width, bm.Height, y, len(row), row, want)
		}
	}
}

// TestReadRowBytes: rows read as bytes are the image's rows packed most
// significant bit first, inverted or not, with zeros after the pixels
// however long the row; blank rows, which are read apart, too. A damaged
// file is refused with the error Decode gives.
func TestReadRowBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	widths := []int{1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127, 128, 129, 254, 255, 1000}
	for range 30 {
		widths = append(widths, 1+r.IntN(700))
	}
	for _, w := range widths {
		bm := randomBitmap(r, w, 1+r.IntN(12))
		for y := range bm.Height {
			if r.IntN(3) == 0 { // blank
				for x := range w {
					bm.Set(x, y, true)
				}
			}
		}
		data := encode(t, bm)
		for _, pad := range []int{0, 1, 3, 4, 9} {
			for _, invert := range []bool{false, true} {
				rows, err := decodeRowBytes(data, pad, invert)
				if err != nil {
					t.Fatalf("width %d: %v", w, err)
				}
				checkRowBytes(t, bm, rows, invert)
			}
		}
		if len(data) == rle.HeaderSize {
			continue
		}
		for range 10 {
			bad := bytes.Clone(data)
			bad[rle.HeaderSize+r.IntN(len(bad)-rle.HeaderSize)] ^= byte(1 + r.IntN(255))
			_, wantErr := rle.Decode(bad)
			_, err := decodeRowBytes(bad, 0, w%2 == 0)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Fatalf("width %d, damaged: ReadRowBytes says %v, Decode says %v", w, err, wantErr)
			}
		}
	}
	d, _ := rle.NewDecoder([]byte{9, 0, 1, 0, 0x89})
	if err := d.ReadRowBytes(make([]byte, 1), false); err == nil {
		t.Error("a 9-pixel row was read into 1 byte")
	}
	if err := d.ReadRowBytes(make([]byte, 2), false); err != nil {
		t.Fatal(err)
	}
	if err := d.ReadRowBytes(make([]byte, 2), false); err == nil {
		t.Error("a row was read past the last")
	}
}

// FuzzDecode checks that the decoder never panics, and that whatever it
// accepts encodes back to the same bytes when it is canonical.
func FuzzDecode(f *testing.F) {
	f.Add([]byte{9, 0, 1, 0, 0x04, 0x82, 0x03})
	f.Add([]byte{200, 0, 2, 0, 0x5f, 0xa0, 0xc9, 0x5f, 0xa0, 0xc9})
	f.Add([]byte{3, 0, 1, 0, 0x80, 0x83})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		bm, err := rle.Decode(data)
		st, scanErr := rle.Scan(data)
		if fmt.Sprint(err) != fmt.Sprint(scanErr) {
			t.Fatalf("Decode says %v, Scan says %v", err, scanErr)
		}
		if scanErr == nil && st.Runs != int64(len(data)-rle.HeaderSize) {
			t.Fatalf("Scan counts %d runs in %d bytes of runs", st.Runs, len(data)-rle.HeaderSize)
		}
		invert := len(data)%2 == 1
		rows, rowsErr := decodeRowBytes(data, 1, invert)
		if fmt.Sprint(err) != fmt.Sprint(rowsErr) {
			t.Fatalf("Decode says %v, ReadRowBytes %v", err, rowsErr)
		}
		if err == nil {
			checkRowBytes(t, bm, rows, invert)
		}
		for _, n := range []int{1, 2, 5} {
			split, splitErr := decodeSplit(data, n)
			if (err == nil) != (splitErr == nil) || err == nil && !split.Equal(bm) {
				t.Fatalf("Decode says %v; split every %d rows, %v", err, n, splitErr)
			}
		}
		if err != nil {
			return
		}
		if st.NonCanonical == 0 && !bytes.Equal(encode(t, bm), data) {
			t.Fatal("a canonical file does not encode back to itself")
		}
	})
}

// FuzzRoundTrip encodes images made from arbitrary bytes and decodes them.
func FuzzRoundTrip(f *testing.F) {
	f.Add(uint16(9), []byte{0x0c})
	f.Add(uint16(127), []byte{0xff, 0x00, 0xaa})
	f.Add(uint16(300), []byte{0x01, 0x80, 0xfe, 0x7f})
	f.Fuzz(func(t *testing.T, width uint16, pixels []byte) {
		w := int(width%1024) + 1
		h := min(len(pixels)*8/w+1, 64)
		bm, _ := bitmap.New(w, h)
		for i := range w * h {
			if i/8 < len(pixels) && pixels[i/8]>>(i%8)&1 == 1 {
				bm.Set(i%w, i/w, true)
			}
		}
		data := encode(t, bm)
		if !bytes.Equal(data, naiveEncode(bm)) {
			t.Fatal("encoder differs from the naive one")
		}
		back, err := rle.Decode(data)
		if err != nil || !back.Equal(bm) {
			t.Fatalf("round trip failed: %v", err)
		}
	})
}

func TestWithHint(t *testing.T) {
	formatErr := &rle.Error{Offset: 4, Msg: "truncated"}
	other := errors.New("no space left on device")
	hint := "the file is a BMP image; rlec compress takes those"
	for _, tc := range []struct {
		name string
		hint string
		err  error
		want string // "" for err unchanged
	}{
		{"a BMP", hint, formatErr, "byte 4: truncated (" + hint + ")"},
		{"a BMP, output failed", hint, other, ""},
		{"not an image", "", formatErr, ""},
		{"no error", hint, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := rle.WithHint(tc.err, tc.hint)
			switch {
			case tc.want == "" && got != tc.err:
				t.Errorf("%s: %v, want %v unchanged", tc.name, got, tc.err)
			case tc.want != "" && (got == nil || got.Error() != tc.want || !errors.Is(got, formatErr)):
				t.Errorf("%s: %v, want %q wrapping the format error", tc.name, got, tc.want)
			}
		})
	}
}
