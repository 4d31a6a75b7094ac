package write_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"testing"

	xtiff "golang.org/x/image/tiff"

	"github.com/rlec/rlec/internal/codec"
)

// TestXImage: golang.org/x/image/tiff, another reader than rlec's, reads
// the files to the same pixels. It reads min-is-white 1-bit images as
// grey, white 0xff, inverting the stored bits as the photometric
// interpretation says; it reads Group 4 too.
func TestXImage(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, size := range [][2]int{{1, 1}, {13, 7}, {200, 50}, {1001, 3}} {
		for _, kind := range []string{"noise", "text"} {
			bm := picture(r, kind, size[0], size[1])
			for _, comp := range []string{"none", "packbits", "g4"} {
				t.Run(fmt.Sprintf("%dx%d/%s/%s", size[0], size[1], kind, comp), func(t *testing.T) {
					var file fileBuf
					encode(t, r, &file, bm, codec.WriteOptions{Compression: comp, DPI: 200})
					img, err := xtiff.Decode(bytes.NewReader(file.data))
					if err != nil {
						t.Fatal(err)
					}
					if img.Bounds() != image.Rect(0, 0, bm.Width, bm.Height) {
						t.Fatalf("bounds %v", img.Bounds())
					}
					for y := range bm.Height {
						for x := range bm.Width {
							g := color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y
							if (g == 0xff) != bm.At(x, y) || g != 0 && g != 0xff {
								t.Fatalf("pixel (%d, %d) is grey %d, want white %v", x, y, g, bm.At(x, y))
							}
						}
					}
				})
			}
		}
	}
}
