package png_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/png"
)

func decode(data []byte) (*bitmap.Bitmap, error) {
	return png.Decode(bytes.NewReader(data), int64(len(data)))
}

// dump writes a test's file, and what rlec made of it, to the folder
// $RLEC_PNG_DUMP names, if it does: to compare with the reference outside
// the tests. name.out holds the bitmap's rows packed a bit a pixel, 1 for
// white, each row padded to a byte (what Pillow's convert("1").tobytes()
// gives), or "ERR" and the error.
func dump(t *testing.T, name string, data []byte, bm *bitmap.Bitmap, err error) {
	dir := os.Getenv("RLEC_PNG_DUMP")
	if dir == "" {
		return
	}
	base := filepath.Join(dir, name)
	if err := os.WriteFile(base+".png", data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out []byte
	if err != nil {
		out = []byte("ERR " + err.Error())
	} else {
		for y := range bm.Height {
			out = bitmap.AppendRowBytes(out, bm.Row(y), bitmap.PackedStride(bm.Width))
		}
	}
	if err := os.WriteFile(base+".out", out, 0o644); err != nil {
		t.Fatal(err)
	}
}

var modes = []struct{ depth, ctype int }{
	{1, 0}, {2, 0}, {4, 0}, {8, 0}, {16, 0},
	{8, 2}, {16, 2},
	{1, 3}, {2, 3}, {4, 3}, {8, 3},
	{8, 4}, {16, 4},
	{8, 6}, {16, 6},
}

// TestColourTypes: every colour type and bit depth, interlaced or not,
// under each filter type and a mix of them, at odd sizes, converts as
// Pillow converts the mode it opens it in.
func TestColourTypes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	sizes := [][2]int{{1, 1}, {3, 2}, {13, 7}, {70, 9}, {5, 17}}
	filters := map[string]func(int) byte{
		"none": func(int) byte { return 0 }, "sub": func(int) byte { return 1 },
		"up": func(int) byte { return 2 }, "average": func(int) byte { return 3 },
		"paeth": func(int) byte { return 4 }, "mixed": func(i int) byte { return byte(i % 5) },
	}
	for _, m := range modes {
		for _, size := range sizes {
			for _, interlaced := range []bool{false, true} {
				for fname, filter := range filters {
					name := fmt.Sprintf("d%d_c%d_%dx%d_i%v_%s", m.depth, m.ctype, size[0], size[1], interlaced, fname)
					t.Run(name, func(t *testing.T) {
						im := randomImage(r, size[0], size[1], m.depth, m.ctype, 1+r.IntN(256))
						data := im.file(interlaced, filter)
						bm, err := decode(data)
						dump(t, name, data, bm, err)
						if err != nil {
							t.Fatal(err)
						}
						if want := im.want(); !bm.Equal(want) {
							t.Fatalf("pixels differ from the mode's conversion")
						}
					})
				}
			}
		}
	}
}

// TestBands: an image read band by band, in bands of any height, gives the
// rows it gives whole.
func TestBands(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, m := range []struct{ depth, ctype int }{{1, 0}, {8, 0}, {4, 3}, {16, 6}} {
		for _, interlaced := range []bool{false, true} {
			t.Run(fmt.Sprintf("d%d_c%d_i%v", m.depth, m.ctype, interlaced), func(t *testing.T) {
				im := randomImage(r, 77, 41, m.depth, m.ctype, 200)
				data := im.file(interlaced, func(i int) byte { return byte(i % 5) })
				want := im.want()
				img, err := png.Open(bytes.NewReader(data), int64(len(data)))
				if err != nil {
					t.Fatal(err)
				}
				for y := 0; y < 41; {
					n := min(1+r.IntN(9), 41-y)
					band, _ := bitmap.New(77, n)
					if err := img.ReadRows(band); err != nil {
						t.Fatalf("rows %d..%d: %v", y, y+n, err)
					}
					if !band.Equal(want.Band(y, y+n)) {
						t.Fatalf("rows %d..%d differ", y, y+n)
					}
					y += n
				}
				band, _ := bitmap.New(77, 1)
				if err := img.ReadRows(band); err == nil {
					t.Fatal("a row past the last was read")
				}
			})
		}
	}
}

// TestStream: a file read as a stream of unknown size reads as it does
// with its size known.
func TestStream(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, interlaced := range []bool{false, true} {
		im := randomImage(r, 50, 30, 8, 2, 0)
		data := im.file(interlaced, func(i int) byte { return byte(i % 5) })
		bm, err := png.Decode(bytes.NewReader(data), -1)
		if err != nil {
			t.Fatal(err)
		}
		if !bm.Equal(im.want()) {
			t.Fatalf("interlaced %v: pixels differ", interlaced)
		}
	}
}

// TestRegistered: the format is registered, and recognised by its
// signature.
func TestRegistered(t *testing.T) {
	f := codec.ByExt(".PNG")
	if f == nil || f.Name != "PNG" || f.NewEncoder == nil {
		t.Fatalf("PNG is not registered as it should be: %+v", f)
	}
	if codec.Sniff([]byte(sig)) != f || codec.Sniff([]byte(sig[:7])) == f || codec.Sniff([]byte("BM")) == f {
		t.Fatal("the signature does not pick PNG, or something else does")
	}
}
