package codec_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
)

// stripes is an image of the given size whose row y is white when y is
// even, read row by row.
func stripes(w, h int) *codec.RowByRow {
	y := 0
	return &codec.RowByRow{Width: w, Height: h, Next: func(dst []uint64) error {
		clear(dst)
		if y%2 == 0 {
			for i := range dst {
				dst[i] = ^uint64(0)
			}
			dst[len(dst)-1] &= bitmap.TailMask(w)
		}
		y++
		return nil
	}}
}

func TestRowByRow(t *testing.T) {
	img := stripes(70, 5)
	bm, err := codec.Decode(img)
	if err != nil {
		t.Fatal(err)
	}
	for y := range 5 {
		if bm.At(69, y) != (y%2 == 0) || bm.At(0, y) != (y%2 == 0) {
			t.Fatalf("row %d is wrong", y)
		}
	}
	band, _ := bitmap.New(70, 1)
	if err := img.ReadRows(band); err == nil {
		t.Error("a row past the last was read")
	}
	wide, _ := bitmap.New(71, 1)
	if err := stripes(70, 5).ReadRows(wide); err == nil {
		t.Error("a band of another width was filled")
	}
	failing := &codec.RowByRow{Width: 3, Height: 3, Next: func([]uint64) error { return io.ErrUnexpectedEOF }}
	if _, err := codec.Decode(failing); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("got %v", err)
	}
}

func TestWhole(t *testing.T) {
	decoded := 0
	img := &codec.Whole{Width: 9, Height: 4, Decode: func() (*bitmap.Bitmap, error) {
		decoded++
		return codec.Decode(stripes(9, 4))
	}}
	for y := range 4 {
		band, _ := bitmap.New(9, 1)
		if err := img.ReadRows(band); err != nil {
			t.Fatal(err)
		}
		if band.At(3, 0) != (y%2 == 0) {
			t.Fatalf("row %d is wrong", y)
		}
	}
	if decoded != 1 {
		t.Errorf("decoded %d times", decoded)
	}
	liar := &codec.Whole{Width: 9, Height: 5, Decode: func() (*bitmap.Bitmap, error) { return bitmap.New(9, 4) }}
	if _, err := codec.Decode(liar); err == nil {
		t.Error("a decoder giving another size than the header's was believed")
	}
}

// The registry's own test formats, matched by their first bytes.
func init() {
	codec.Register(&codec.Format{
		Name:  "TESTA",
		Exts:  []string{".testa", ".ta"},
		Match: func(head []byte) bool { return bytes.HasPrefix(head, []byte("TA")) },
		Open: func(r io.ReaderAt, size int64) (codec.Image, error) {
			if size >= 0 && size < 3 {
				return nil, errors.New("too short")
			}
			return stripes(4, 2), nil
		},
	})
	codec.Register(&codec.Format{
		Name:    "TESTB",
		Exts:    []string{".testb"},
		Match:   func(head []byte) bool { return bytes.HasPrefix(head, []byte("TB")) },
		Refusal: "TESTB images are not read yet",
	})
}

func TestRegistry(t *testing.T) {
	if f := codec.ByExt(".TA"); f == nil || f.Name != "TESTA" {
		t.Errorf("ByExt(.TA) = %v", f)
	}
	if f := codec.ByExt(".testb"); f != nil {
		t.Errorf("a format rlec does not read has an extension to read: %v", f)
	}
	if !strings.Contains(codec.Names(), "TESTA") || strings.Contains(codec.Names(), "TESTB") {
		t.Errorf("Names() = %q", codec.Names())
	}
	for _, tc := range []struct {
		name, data, want string
	}{
		{"readable", "TA and more", ""},
		{"refused", "TB...", "TESTB: TESTB images are not read yet (rlec reads "},
		{"unknown", "XY", "not an image rlec reads (it reads "},
		{"empty", "", "not an image rlec reads: the file is empty"},
		{"format's error", "TA", "too short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, _, err := codec.Open(strings.NewReader(tc.data), int64(len(tc.data)))
			switch {
			case tc.want == "" && (err != nil || img == nil):
				t.Fatalf("got %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

func TestAvailable(t *testing.T) {
	r := strings.NewReader("12345")
	for _, tc := range []struct {
		size, n int64
		want    bool
	}{{5, 5, true}, {5, 6, false}, {-1, 5, true}, {-1, 6, false}, {-1, 0, true}} {
		if got := codec.Available(r, tc.size, tc.n); got != tc.want {
			t.Errorf("Available(size %d, n %d) = %v", tc.size, tc.n, got)
		}
	}
}
