package rle_test

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec/bmp"
	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
	"github.com/rlec/rlec/internal/rle"
)

var update = flag.Bool("update", false, "rewrite testdata/golden and testdata/sample.bmp from the generators and the current encoder")

const testdata = "../../testdata"

// goldenInputs are small images that pin down the edges of the format: chunk
// boundaries, one-pixel sizes, uniform images, both 1-bit palettes and both
// row orders. Each becomes testdata/golden/NAME.bmp with its NAME.rle.
func goldenInputs() map[string]bmptest.Spec {
	stripes := func(x, y int) uint32 { return uint32((x/(1+y%5) + y) & 1) }
	bw := func(w, h int, pix func(x, y int) uint32) bmptest.Spec {
		return bmptest.Spec{Width: w, Height: h, BitsPerPixel: 1, Palette: bmptest.BlackWhite, Pixel: pix}
	}
	specs := map[string]bmptest.Spec{
		"width1":     bw(1, 5, func(x, y int) uint32 { return uint32(y & 1) }),
		"width126":   bw(126, 6, stripes),
		"width127":   bw(127, 6, stripes),
		"width128":   bw(128, 6, stripes),
		"width254":   bw(254, 6, stripes),
		"width255":   bw(255, 6, stripes),
		"height1":    bw(300, 1, stripes),
		"allwhite":   bw(300, 4, func(x, y int) uint32 { return 1 }),
		"allblack":   bw(300, 4, func(x, y int) uint32 { return 0 }),
		"checker":    bw(131, 9, func(x, y int) uint32 { return uint32((x + y) & 1) }),
		"whiteblack": {Width: 200, Height: 7, BitsPerPixel: 1, Palette: bmptest.WhiteBlack, Pixel: stripes},
		"topdown":    {Width: 200, Height: 7, BitsPerPixel: 1, Palette: bmptest.BlackWhite, TopDown: true, Pixel: stripes},
	}
	return specs
}

// TestGolden: every golden input encodes to its committed output, which
// decodes back to the same pixels. With -update the inputs and outputs are
// rewritten instead; the outputs were checked against the reference
// algorithm run under Pillow 9.4.
func TestGolden(t *testing.T) {
	dir := filepath.Join(testdata, "golden")
	if *update {
		writeGolden(t, dir)
	}
	for name := range goldenInputs() {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name+".bmp"))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(dir, name+".rle"))
			if err != nil {
				t.Fatalf("%v (run go test ./internal/rle -update to make the golden files)", err)
			}
			bm, err := bmp.Decode(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			if got := encode(t, bm); !bytes.Equal(got, want) {
				t.Errorf("%s differs from its golden output", name)
			}
			back, err := rle.Decode(want)
			if err != nil || !back.Equal(bm) {
				t.Errorf("the golden output does not decode to the input's pixels: %v", err)
			}
		})
	}
}

func writeGolden(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, spec := range goldenInputs() {
		data := bmptest.Build(spec)
		if err := os.WriteFile(filepath.Join(dir, name+".bmp"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		bm, err := bmp.Decode(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".rle"), encode(t, bm), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(testdata, "sample.bmp"), samplePage(t), 0o644); err != nil {
		t.Fatal(err)
	}
}

// samplePage renders a text page, like a scanned letter-size document at
// 150 dpi, as a 1-bit BMP: the input of make demo. The text is drawn at half
// size and scaled up twice, so its strokes are as thick as a scan's.
func samplePage(t *testing.T) []byte {
	const scale = 2
	const w, h, margin = 1275 / scale, 1650 / scale, 55
	page := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(page, page.Bounds(), image.White, image.Point{}, draw.Src)
	d := &font.Drawer{Dst: page, Src: image.Black, Face: basicfont.Face7x13}
	text := strings.Fields(`rlec compresses black-and-white images into the run-length format of the
		image-compression case study that closes the concurrency chapter of Python 3
		Object-Oriented Programming. A row is cut into chunks of 127 pixels and each
		chunk is written as its runs, one byte per run: bit seven the colour, the
		other seven the length. Scanned documents, line art and fax pages are mostly
		white, so a chunk of paper costs one byte where the packed image needs sixteen.`)
	y := margin
	for para := 0; y < h-margin; para++ {
		line := ""
		for i := para; ; i++ {
			word := text[i%len(text)]
			if d.MeasureString(line+" "+word).Ceil() > w-2*margin {
				d.Dot = fixed.P(margin, y)
				d.DrawString(line)
				y += 18
				line = ""
				if i%9 == 0 || y >= h-margin {
					break
				}
			}
			line = strings.TrimSpace(line + " " + word)
		}
		y += 18
	}
	bm, err := bitmap.New(w*scale, h*scale)
	if err != nil {
		t.Fatal(err)
	}
	for yy := range bm.Height {
		for x := range bm.Width {
			bm.Set(x, yy, page.GrayAt(x/scale, yy/scale) == color.Gray{Y: 0xff})
		}
	}
	var buf bytes.Buffer
	if err := bmp.Encode(&buf, bm); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
