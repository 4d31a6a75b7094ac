package write_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/tiff/write"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// tiny is a 21×9 picture: a black bar, a diagonal, a black row end and
// white around them.
func tiny() *bitmap.Bitmap {
	bm, _ := bitmap.New(21, 9)
	for y := range 9 {
		for x := range 21 {
			black := y == 4 && x > 3 && x < 17 || x == 2*y || y == 7 && x > 15
			bm.Set(x, y, !black)
		}
	}
	return bm
}

// TestGolden: a tiny picture written each way gives the bytes of the
// files in testdata, which libtiff (tiffinfo -D, tiffcp), Pillow and
// netpbm were checked to read to the picture. go test -update rewrites
// them.
func TestGolden(t *testing.T) {
	for _, tt := range []struct {
		file string
		opt  codec.WriteOptions
	}{
		{"tiny_g4.tif", codec.WriteOptions{Compression: "g4", DPI: 300}},
		{"tiny_packbits.tif", codec.WriteOptions{Compression: "packbits", DPI: 300}},
		{"tiny_none.tif", codec.WriteOptions{Compression: "none"}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			bm := tiny()
			var buf bytes.Buffer
			enc, err := write.NewEncoder(&buf, bm.Width, bm.Height, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if err := enc.WriteRows(bm); err != nil {
				t.Fatal(err)
			}
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Fatalf("got\n% x\nwant\n% x", buf.Bytes(), want)
			}
		})
	}
}
