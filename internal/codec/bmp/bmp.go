// Package bmp reads BMP images as the reference tool (Pillow 9.4) reads
// them, every depth, compression and header it accepts, and writes 1-bit
// BMPs.
//
// It reads every file itself rather than through golang.org/x/image/bmp,
// which refuses valid files the reference reads (RLE, OS/2 headers, 16-bit
// and bitfield images, palette indices past the palette's end, unusual
// pixel offsets) and decodes whole images where rlec reads band by band.
package bmp

import "github.com/rlec/rlec/internal/codec"

func init() {
	codec.Register(&codec.Format{
		Name:      "BMP",
		Exts:      []string{".bmp"},
		Match:     func(head []byte) bool { return len(head) >= 2 && head[0] == 'B' && head[1] == 'M' },
		Open:      Open,
		Writes:    "bmp",
		WriteExts: []string{".bmp"},
		Layout:    Layout,
	})
}
