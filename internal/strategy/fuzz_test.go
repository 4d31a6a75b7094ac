package strategy

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	_ "github.com/rlec/rlec/internal/codec/all"
	"github.com/rlec/rlec/internal/codec/bmp/bmptest"
	"github.com/rlec/rlec/internal/rle"
)

// FuzzEncode compresses any file a codec accepts along both of the paths a
// strategy takes (one goroutine, band after band; workers taking blocks),
// which read rows straight from the file rather than through codec.Decode.
// Both must write the same bytes, without panicking, and those bytes must
// decode to the image codec.Decode reads.
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
		open := func() codec.Image {
			img, _, err := codec.Open(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				return nil
			}
			return img
		}
		src := open()
		if src == nil {
			return
		}
		width, height := src.Size()
		if int64(width)*int64(height) > 1<<22 {
			return // large images only slow the search down
		}
		var serial, blocks bytes.Buffer
		serialErr := encodeSerial(context.Background(), src, &serial)
		blocksErr := encodeBlocks(context.Background(), open(), &blocks, 3)
		if (serialErr == nil) != (blocksErr == nil) {
			t.Fatalf("serial: %v; blocks: %v", serialErr, blocksErr)
		}
		if serialErr != nil {
			return
		}
		if !bytes.Equal(serial.Bytes(), blocks.Bytes()) {
			t.Fatalf("%dx%d: serial and blocks wrote different bytes", width, height)
		}
		want, err := codec.Decode(open())
		if err != nil {
			t.Fatalf("encoded, but codec.Decode refuses the file: %v", err)
		}
		got, err := rle.Decode(serial.Bytes())
		if err != nil {
			t.Fatalf("the output does not decode: %v", err)
		}
		if !got.Equal(want) {
			t.Fatalf("%dx%d: the output decodes to other pixels", width, height)
		}
	})
}

// FuzzDecompress decompresses any data along the paths a strategy may take:
// a stream written whole, a file written in chunks by one goroutine, and a
// file written in chunks split between three, with chunks of the real size
// and of a few dozen bytes. All must write the same BMP, which bmp.Encode writes of what rle.Decode
// reads, or refuse the data with rle.Decode's message, its first fault.
func FuzzDecompress(f *testing.F) {
	for _, size := range [][2]int{{1, 1}, {130, 3}, {300, 40}, {2, 1}} {
		bm, _ := bitmap.New(size[0], size[1])
		for y := range bm.Height {
			for x := range bm.Width {
				bm.Set(x, y, (x/5+y)%3 != 0)
			}
		}
		var data bytes.Buffer
		if err := rle.Encode(&data, bm); err != nil {
			f.Fatal(err)
		}
		f.Add(data.Bytes())
		f.Add(rle.AppendHeader(nil, size[0], 0)) // no pixels: refused
		if data.Len() > rle.HeaderSize {
			bad := bytes.Clone(data.Bytes())
			bad[len(bad)/2] ^= 0x80
			f.Add(bad)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if h, err := rle.ParseHeader(data); err == nil && int64(h.Width)*int64(h.Height) > 1<<22 {
			return // large images only slow the search down
		}
		format := targets[len(data)%len(targets)]
		to := target{format: codec.Writer(format)}
		bm, err := rle.Decode(data)
		wantErr := fmt.Sprint(inputErrorOrNil(err))
		var want []byte
		if err == nil {
			want = encodeAs(t, format, bm)
		}
		var stream bytes.Buffer
		serial, blocks := &memFileWriter{}, &memFileWriter{}
		// Chunks of a few dozen bytes, so that rows straddle their edges.
		chunk := int64(1 + len(data)%97)
		small1, _, small1Err := writeInChunks(data, format, chunk, 1)
		small3, _, small3Err := writeInChunks(data, format, chunk, 3)
		for _, path := range []struct {
			name string
			out  func() []byte
			err  error
		}{
			{"stream", stream.Bytes, decodeSerial(context.Background(), data, to, &stream)},
			{"serial file", func() []byte { return serial.data }, decodeSerial(context.Background(), data, to, serial)},
			{"blocks file", func() []byte { return blocks.data }, decodeBlocks(context.Background(), data, to, blocks, 3)},
			{"small chunks, 1 goroutine", func() []byte { return small1.data }, inputErrorOrNil(small1Err)},
			{"small chunks, 3 goroutines", func() []byte { return small3.data }, inputErrorOrNil(small3Err)},
		} {
			if got := fmt.Sprint(path.err); got != wantErr {
				t.Fatalf("%s: error %q, want %q", path.name, got, wantErr)
			}
			if path.err == nil && !bytes.Equal(path.out(), want) {
				t.Fatalf("%s: the %s differs from its writer's", path.name, format)
			}
		}
	})
}

// memFileWriter is a memFile that is also an io.Writer, as an output file
// is; decompression writes it only at offsets.
type memFileWriter struct{ memFile }

func (f *memFileWriter) Write(p []byte) (int, error) {
	return f.WriteAt(p, int64(len(f.data)))
}
