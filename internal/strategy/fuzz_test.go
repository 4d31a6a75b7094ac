package strategy

import (
	"bytes"
	"context"
	"image/color"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/bitmap/bmptest"
	"github.com/rlec/rlec/internal/rle"
)

// FuzzEncode compresses any file the BMP reader accepts along both of the
// paths a strategy takes (one goroutine, band after band; workers taking
// blocks), which read 1-bit files straight from the file rather than through
// bitmap.Decode. Both must write the same bytes, without panicking, and
// those bytes must decode to the image bitmap.Decode reads.
func FuzzEncode(f *testing.F) {
	stripes := func(x, y int) uint32 { return uint32(x/3+y) & 1 }
	for _, s := range []bmptest.Spec{
		{Width: 9, Height: 3, BitsPerPixel: 1, Palette: bmptest.BlackWhite, Pixel: stripes, Padding: 0xff},
		{Width: 70, Height: 2, BitsPerPixel: 1, Palette: bmptest.WhiteBlack, Pixel: stripes, TopDown: true, Padding: 0x81},
		{Width: 5, Height: 2, BitsPerPixel: 1, Palette: []color.RGBA{{R: 9, A: 0xff}, {R: 9, A: 0xff}}, Pixel: stripes},
		{Width: 6, Height: 3, BitsPerPixel: 4, Palette: bmptest.BlackWhite, Pixel: stripes, Padding: 0xff},
		{Width: 4, Height: 2, BitsPerPixel: 24, Pixel: func(x, y int) uint32 { return uint32(x*70) << 8 }},
	} {
		f.Add(bmptest.Build(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := bitmap.Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		if int64(src.Width)*int64(src.Height) > 1<<22 {
			return // large images only slow the search down
		}
		var serial, blocks bytes.Buffer
		serialErr := encodeSerial(context.Background(), src, &serial)
		blocksErr := encodeBlocks(context.Background(), src, &blocks, 3)
		if (serialErr == nil) != (blocksErr == nil) {
			t.Fatalf("serial: %v; blocks: %v", serialErr, blocksErr)
		}
		if serialErr != nil {
			return
		}
		if !bytes.Equal(serial.Bytes(), blocks.Bytes()) {
			t.Fatalf("%dx%d: serial and blocks wrote different bytes", src.Width, src.Height)
		}
		want, err := bitmap.Decode(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("encoded, but bitmap.Decode refuses the file: %v", err)
		}
		got, err := rle.Decode(serial.Bytes())
		if err != nil {
			t.Fatalf("the output does not decode: %v", err)
		}
		if !got.Equal(want) {
			t.Fatalf("%dx%d: the output decodes to other pixels", src.Width, src.Height)
		}
	})
}
