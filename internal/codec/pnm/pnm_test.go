package pnm_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/pnm"
	"github.com/rlec/rlec/internal/conformance"
	"github.com/rlec/rlec/internal/convert"
)

func decodeBytes(data []byte) (*bitmap.Bitmap, error) {
	return pnm.Decode(bytes.NewReader(data), int64(len(data)))
}

// file is a netpbm image to write in the tests.
type file struct {
	magic         int
	width, height int
	maxval        int
	// sample gives sample i (0..2 for PPM) of pixel (x, y): a PBM's 1 is
	// black.
	sample func(x, y, i int) int
	// sep is what plain files put between numbers; comments go in too.
	sep func() string
}

func (f file) bytes() []byte {
	sep := f.sep
	if sep == nil {
		sep = func() string { return " " }
	}
	hsep := func() string { // the header needs a separator
		if s := sep(); s != "" {
			return s
		}
		return " "
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "P%d%s%d%s%d", f.magic, hsep(), f.width, hsep(), f.height)
	if f.magic != 1 && f.magic != 4 {
		fmt.Fprintf(&b, "%s%d", hsep(), f.maxval)
	}
	b.WriteByte('\n')
	n := 1
	if f.magic == 3 || f.magic == 6 {
		n = 3
	}
	for y := range f.height {
		var acc, bits byte
		for x := range f.width {
			for i := range n {
				v := f.sample(x, y, i)
				switch {
				case f.magic <= 3:
					fmt.Fprintf(&b, "%d%s", v, sep())
				case f.magic == 4:
					acc, bits = acc<<1|byte(v), bits+1
					if bits == 8 {
						b.WriteByte(acc)
						acc, bits = 0, 0
					}
				case f.maxval < 256:
					b.WriteByte(byte(v))
				default:
					b.WriteByte(byte(v >> 8))
					b.WriteByte(byte(v))
				}
			}
		}
		if bits > 0 {
			b.WriteByte(acc << (8 - bits))
		}
	}
	return b.Bytes()
}

// commentary separates numbers with whitespace and comments of every
// shape: all of netpbm's whitespace, and comments ending in \n or \r.
func commentary(r *rand.Rand) func() string {
	seps := []string{" ", "\n", "\t", "\r\n", "\v", "\f", "  ", " # a comment\n", "\n#\r", " #x y z\n\n"}
	return func() string { return seps[r.IntN(len(seps))] }
}

// greyBits converts rows of grey levels as the reference converts L.
func greyBits(t *testing.T, w, h int, level func(x, y int) uint8) *bitmap.Bitmap {
	t.Helper()
	bm, _ := bitmap.New(w, h)
	c, err := convert.New(convert.L, w, nil)
	if err != nil {
		t.Fatal(err)
	}
	row := make([]byte, w)
	for y := range h {
		for x := range w {
			row[x] = level(x, y)
		}
		c.Row(bm.Row(y), row)
	}
	return bm
}

// TestGreyVariants: one grey picture, written plain and raw with every kind
// of maxval, reads as the same pixels. Its levels are multiples of
// 255/maxval, which every encoding holds exactly.
func TestGreyVariants(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const w, h = 67, 9
	for _, maxval := range []int{1, 3, 5, 15, 17, 51, 85, 255} {
		step := 255 / maxval
		steps := make([]int, w*h) // the picture, in units of 255/maxval
		for i := range steps {
			steps[i] = r.IntN(maxval + 1)
		}
		level := func(x, y int) uint8 { return uint8(steps[y*w+x] * step) }
		want := greyBits(t, w, h, level)
		variants := map[string]file{
			"P5":            {magic: 5, maxval: maxval, sample: func(x, y, _ int) int { return steps[y*w+x] }},
			"P2":            {magic: 2, maxval: maxval, sample: func(x, y, _ int) int { return steps[y*w+x] }, sep: commentary(r)},
			"P5 maxval 255": {magic: 5, maxval: 255, sample: func(x, y, _ int) int { return int(level(x, y)) }},
			"P2 maxval 255": {magic: 2, maxval: 255, sample: func(x, y, _ int) int { return int(level(x, y)) }, sep: commentary(r)},
			// I: values are clipped, not scaled, so levels below 256 pass.
			"P5 maxval 65535": {magic: 5, maxval: 65535, sample: func(x, y, _ int) int { return int(level(x, y)) }},
			"P2 maxval 65535": {magic: 2, maxval: 65535, sample: func(x, y, _ int) int { return int(level(x, y)) }},
			// RGB, grey: luma is the level.
			"P6":              {magic: 6, maxval: maxval, sample: func(x, y, _ int) int { return steps[y*w+x] }},
			"P3":              {magic: 3, maxval: maxval, sample: func(x, y, _ int) int { return steps[y*w+x] }, sep: commentary(r)},
			"P6 maxval 65535": {magic: 6, maxval: 65535, sample: func(x, y, _ int) int { return 257 * int(level(x, y)) }},
			"P3 maxval 65535": {magic: 3, maxval: 65535, sample: func(x, y, _ int) int { return 257 * int(level(x, y)) }},
		}
		for name, f := range variants {
			t.Run(fmt.Sprintf("maxval %d/%s", maxval, name), func(t *testing.T) {
				f.width, f.height = w, h
				got, err := decodeBytes(f.bytes())
				if err != nil {
					t.Fatal(err)
				}
				if !got.Equal(want) {
					t.Fatal("pixels differ from the 8-bit picture")
				}
			})
		}
	}
}

// TestScaling: one-pixel images, white when their level is over 128, show
// how values become levels: 16-bit values are clipped, not scaled, raw
// values over maxval are clipped, and plain numbers are read as Python's
// int() reads them, comments cut out wherever they stand.
func TestScaling(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		white bool
	}{
		{"P2 maxval 255, 129", "P2 1 1 255 129", true},
		{"P2 maxval 255, 128", "P2 1 1 255 128", false},
		{"I clipped not scaled", "P5 1 1 65535\n\x00\x81", true},
		{"I 128", "P5 1 1 65535\n\x00\x80", false},
		{"I maxval 1000, 2 is 131", "P5 1 1 1000\n\x00\x02", true},
		{"I maxval 1000, 1 is 66", "P5 1 1 1000\n\x00\x01", false},
		// 1/510*65535 = 128.5: 128 when halves go to even, 129 when up.
		{"I half to even", "P2 1 1 510 1", false},
		{"I half to even, raw", "P5 1 1 510\n\x00\x01", false},
		{"raw over maxval clipped", "P5 1 1 100\n\xff", true},
		{"P6 over maxval clipped", "P6 1 1 1000\n\xff\xff\xff\xff\xff\xff", true},
		{"P3 maxval 2, 1 is 128", "P3 1 1 2 1 1 1", false},
		// A negative plain number wraps around in L, as the reference stores it.
		{"negative wraps", "P2 1 1 255 -1", true},
		{"plus sign", "P2 1 1 255 +200", true},
		{"underscore", "P2 1 1 255 2_00", true},
		{"comment inside a number", "P2 1 1 255 2#c\n00", true},
		{"comment inside the header", "P2 1#c\n 1 2#c\n55 200", true},
		{"comment right after the magic", "P2#c\n1 1 255 200", true},
		{"vertical tab", "P2\v1\v1\v255\v200", true},
		{"P4 data after one space", "P4 1 1 \x00", true},
		{"P4 data after a comment and a space", "P4 1 1#c\n \x00", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bm, err := decodeBytes([]byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if bm.At(0, 0) != tt.white {
				t.Fatalf("pixel white=%v, want %v", bm.At(0, 0), tt.white)
			}
		})
	}
}

// TestShortPlain: a plain file that ends right after a number is read as
// the reference reads it, that number repeated to the end; one that ends
// after whitespace is truncated.
func TestShortPlain(t *testing.T) {
	full, err := decodeBytes([]byte("P2 3 2 255 0 100 255 3 3 3"))
	if err != nil {
		t.Fatal(err)
	}
	for _, data := range []string{"P2 3 2 255 0 100 255 3", "P2 3 2 255 0 100 255 3#c\n", "P2 3 2 255 0 100 255 3 3"} {
		got, err := decodeBytes([]byte(data))
		if err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		if !got.Equal(full) {
			t.Fatalf("%q: pixels differ from the full file", data)
		}
	}
	for _, data := range []string{"P2 3 2 255 0 100 255 3 ", "P2 3 2 255 0 100 255 3 #c", "P2 3 2 255 ", "P1 3 2 010 01"} {
		if _, err := decodeBytes([]byte(data)); err == nil || !strings.Contains(err.Error(), "truncated") {
			t.Fatalf("%q: got %v, want truncated", data, err)
		}
	}
}

func randomBitmap(r *rand.Rand, w, h int) *bitmap.Bitmap {
	bm, _ := bitmap.New(w, h)
	for y := range h {
		for x := range w {
			bm.Set(x, y, r.IntN(3) != 0)
		}
	}
	return bm
}

// TestBitmapRoundTrip: random bitmaps written as P4 (by the encoder, and by
// hand with padding bits set) and as P1 (with and without spaces and
// comments) read back to the same bits.
func TestBitmapRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, w := range []int{1, 7, 8, 9, 63, 64, 65, 127, 128, 200, 257, 1000} {
		bm := randomBitmap(r, w, 1+r.IntN(13))
		black := func(x, y, _ int) int {
			if bm.At(x, y) {
				return 0
			}
			return 1
		}
		var enc bytes.Buffer
		e, err := pnm.NewEncoder(&enc, bm.Width, bm.Height, codec.WriteOptions{DPI: 300})
		if err != nil {
			t.Fatal(err)
		}
		for y := 0; y < bm.Height; y += 3 {
			if err := e.WriteRows(bm.Band(y, min(y+3, bm.Height))); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		padded := file{magic: 4, width: w, height: bm.Height, sample: black}.bytes()
		// Set every padding bit: readers must ignore them.
		stride := pnm.P4Stride(w)
		body := padded[len(padded)-stride*bm.Height:]
		for y := range bm.Height {
			body[y*stride+stride-1] |= byte(1<<(8*stride-w)) - 1
		}
		for name, data := range map[string][]byte{
			"P4 encoder":   enc.Bytes(),
			"P4 padded":    padded,
			"P1":           file{magic: 1, width: w, height: bm.Height, sample: black}.bytes(),
			"P1 no spaces": file{magic: 1, width: w, height: bm.Height, sample: black, sep: func() string { return "" }}.bytes(),
			"P1 commented": file{magic: 1, width: w, height: bm.Height, sample: black, sep: commentary(r)}.bytes(),
			"P5 maxval 1":  file{magic: 5, width: w, height: bm.Height, maxval: 1, sample: func(x, y, i int) int { return 1 - black(x, y, i) }}.bytes(),
			"P2 maxval 1":  file{magic: 2, width: w, height: bm.Height, maxval: 1, sample: func(x, y, i int) int { return 1 - black(x, y, i) }}.bytes(),
		} {
			got, err := decodeBytes(data)
			if err != nil {
				t.Fatalf("%s w=%d: %v", name, w, err)
			}
			if !got.Equal(bm) {
				t.Fatalf("%s w=%d: pixels differ", name, w)
			}
		}
		if want := fmt.Sprintf("P4\n%d %d\n", w, bm.Height); !bytes.HasPrefix(enc.Bytes(), []byte(want)) || enc.Len() != len(want)+stride*bm.Height {
			t.Fatalf("w=%d: encoder wrote %d bytes starting %q", w, enc.Len(), enc.Bytes()[:len(want)])
		}
	}
}

// TestEncoderLayout: row y of the encoder's file is at
// len(HeaderP4) + y*P4Stride, as AppendRowP4 makes it, so that rows can be
// written at their places by several goroutines.
func TestEncoderLayout(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	bm := randomBitmap(r, 77, 11)
	var enc bytes.Buffer
	e, _ := pnm.NewEncoder(&enc, 77, 11, codec.WriteOptions{})
	if err := e.WriteRows(bm); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	hdr := pnm.HeaderP4(77, 11)
	stride := pnm.P4Stride(77)
	for y := range 11 {
		off := len(hdr) + y*stride
		if got, want := enc.Bytes()[off:off+stride], pnm.AppendRowP4(nil, bm.Row(y), 77); !bytes.Equal(got, want) {
			t.Fatalf("row %d: %x, want %x", y, got, want)
		}
	}
	e, _ = pnm.NewEncoder(&enc, 77, 11, codec.WriteOptions{})
	e.WriteRows(bm.Band(0, 5))
	if err := e.Close(); err == nil {
		t.Fatal("Close after 5 of 11 rows succeeded")
	}
	if err := e.WriteRows(bm); err == nil {
		t.Fatal("writing 11 more rows of 11 succeeded")
	}
	if _, err := pnm.NewEncoder(&enc, 0, 11, codec.WriteOptions{}); err == nil {
		t.Fatal("a 0-pixel-wide encoder was made")
	}
}

// TestRowsAt: a P4 is read in bands, in any order, by several goroutines,
// to the same bits as in one go.
func TestRowsAt(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	bm := randomBitmap(r, 300, 101)
	var enc bytes.Buffer
	e, _ := pnm.NewEncoder(&enc, bm.Width, bm.Height, codec.WriteOptions{})
	e.WriteRows(bm)
	data := enc.Bytes()
	img, err := pnm.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	at, ok := img.(codec.RowsAt)
	if !ok {
		t.Fatal("a P4 image does not implement codec.RowsAt")
	}
	got, _ := bitmap.New(bm.Width, bm.Height)
	var wg sync.WaitGroup
	for y0 := 0; y0 < bm.Height; y0 += 10 {
		wg.Go(func() {
			if _, err := at.ReadRowsAt(got.Band(y0, min(y0+10, bm.Height)), y0, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if !got.Equal(bm) {
		t.Fatal("bands read concurrently differ")
	}
	if _, err := at.ReadRowsAt(got.Band(0, 10), 95, nil); err == nil {
		t.Fatal("rows 95..104 of 101 were read")
	}
}

// TestRefusals: broken and hostile files are refused with a clear message,
// without allocating in proportion to what they claim.
func TestRefusals(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"empty", "", "magic"},
		{"not netpbm", "GIF89a", "not a netpbm"},
		{"P12", "P12 1 1 1", "not a netpbm"},
		{"no height", "P5 12", "ends early"},
		{"maxval 0", "P5 1 1 0\n\x00", "maxval 0"},
		{"maxval 65536", "P5 1 1 65536\n\x00", "maxval 65536"},
		{"zero width", "P5 0 1 255\n", "not positive"},
		{"negative height", "P4 1 -1\n", "not positive"},
		{"too wide", "P4 65536 1\n", "65535"},
		{"not a number", "P4 1x 1\n", "not a number"},
		{"token too long", "P5 000000000001 1 255\n", "longer than"},
		{"double underscore", "P4 1__0 1\n", "not a number"},
		{"huge raw claim", "P5 65535 65535 255\n\x00\x00", "truncated"},
		{"huge P4 claim", "P4 65535 65535\n\x00\x00", "truncated"},
		{"huge P1 claim", "P1 65535 65535\n0101", "truncated"},
		{"truncated P4", "P4 9 2\n\x00\x00\x00", "truncated"},
		{"truncated P6", "P6 1 1 255\n\x01\x02", "truncated"},
		{"sample over maxval", "P2 2 1 100 5 101", "over maxval"},
		{"negative sample in I", "P2 1 1 1000 -1", "negative"},
		{"sample not a number", "P3 1 1 255 1 2 x", "not a number"},
		{"sample too long", "P2 1 1 255 00000000001", "longer than"},
		{"bad P1 character", "P1 3 1 012", "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := decodeBytes([]byte(tt.data))
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v, want one mentioning %q", err, tt.want)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 2<<20 {
				t.Fatalf("refusing a %d-byte file allocated %d bytes", len(tt.data), grew)
			}
		})
	}
	// PAM is recognised, and refused by name.
	_, f, err := codec.Open(strings.NewReader("P7\nWIDTH 1\n"), 10)
	if err == nil || f == nil || f.Name != "PAM" || !strings.Contains(err.Error(), "P7") {
		t.Fatalf("P7: got format %v, error %v", f, err)
	}
}

// TestHugeBlankPlain: a few bytes may legitimately stand for a large plain
// image (the reference repeats a file's last number); it is read a row at a
// time, with little memory.
func TestHugeBlankPlain(t *testing.T) {
	data := []byte("P2 20000 500 255 255")
	img, err := pnm.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	band, _ := bitmap.New(20000, 10)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for y := 0; y < 500; y += 10 {
		if err := img.ReadRows(band); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if !band.At(19999, 9) || !band.At(0, 0) {
		t.Fatal("a white image has black pixels")
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Fatalf("reading 10 Mpixels of plain data allocated %d bytes", grew)
	}
}

// FuzzDecode: the reader never panics or hangs, and what it accepts is a
// real image.
func FuzzDecode(f *testing.F) {
	r := rand.New(rand.NewPCG(9, 10))
	noise := func(x, y, i int) int { return (x*7 + y*13 + i) % 3 }
	for _, s := range []file{
		{magic: 1, width: 9, height: 2, sample: func(x, y, _ int) int { return (x + y) & 1 }, sep: commentary(r)},
		{magic: 2, width: 5, height: 2, maxval: 2, sample: noise, sep: commentary(r)},
		{magic: 3, width: 3, height: 2, maxval: 1000, sample: noise},
		{magic: 4, width: 13, height: 3, sample: func(x, y, _ int) int { return (x ^ y) & 1 }},
		{magic: 5, width: 5, height: 3, maxval: 255, sample: func(x, y, _ int) int { return x * 50 }},
		{magic: 5, width: 4, height: 2, maxval: 65535, sample: func(x, y, _ int) int { return x * 100 }},
		{magic: 6, width: 3, height: 3, maxval: 7, sample: noise},
	} {
		f.Add(s.bytes())
	}
	f.Add([]byte("P2 3 2 255 0 100 255 3"))
	for _, kind := range []string{"pbm_P1", "pbm_P4_pil", "pgm_P5_1000", "ppm_P3_7"} {
		if files, _ := filepath.Glob(filepath.Join(conformance.Root(f), "..", "shared", "conformance", "formats", kind, "*")); len(files) > 0 {
			if data, err := os.ReadFile(files[0]); err == nil && len(data) < 64<<10 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := pnm.Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		w, h := img.Size()
		if w < 1 || h < 1 || w > bitmap.MaxDimension || h > bitmap.MaxDimension {
			t.Fatalf("accepted a %dx%d image", w, h)
		}
		if w*h > 1<<22 {
			return // a short plain file may stand for a large image: legitimate, but slow
		}
		bm, _ := bitmap.New(w, h)
		if img.ReadRows(bm) != nil {
			return
		}
		for y := range bm.Height {
			if bm.Row(y)[bm.Stride-1]&^bitmap.TailMask(bm.Width) != 0 {
				t.Fatalf("padding bits set in row %d", y)
			}
		}
	})
}

// TestDamagedConformance: truncations and flipped bytes of the conformance
// images give an error or an image, never a panic, and stay within a few
// MB.
func TestDamagedConformance(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, c := range conformance.Cases(t, "pbm_*/*", "pgm_*/*", "ppm_*/*", "page_pbmraw/*") {
		good, err := os.ReadFile(c.Path)
		if err != nil {
			t.Fatal(err)
		}
		variants := [][]byte{good[:0], good[:2], good[:3], good[:10], good[:len(good)/2], good[:len(good)-1]}
		for range 30 {
			d := bytes.Clone(good)
			d[r.IntN(min(len(d), 64))] ^= byte(1 + r.IntN(255))
			variants = append(variants, d)
		}
		for _, d := range variants {
			img, err := pnm.Open(bytes.NewReader(d), int64(len(d)))
			if err != nil {
				continue
			}
			w, h := img.Size()
			if w*h > 1<<24 {
				continue // a damaged plain header may claim a large image the data "fills"
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			bm, _ := bitmap.New(w, min(h, 64))
			for y := 0; y < h; y += bm.Height {
				if err := img.ReadRows(bm.Band(0, min(bm.Height, h-y))); err != nil {
					break
				}
			}
			runtime.ReadMemStats(&after)
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20+8*uint64(w)*64 {
				t.Errorf("%s damaged: a %dx%d image from %d bytes allocated %d bytes", c.Rel, w, h, len(d), grew)
			}
		}
	}
}
