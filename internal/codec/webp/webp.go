// Package webp reads lossless WebP images (VP8L) as the reference tool
// (Pillow 9.4, through libwebp) reads them: mode RGB, or RGBA when the
// image has alpha, the colour stored under a transparent pixel kept.
//
// The pixels are decoded by golang.org/x/image/webp, which gives a lossless
// image's exact samples, straight colour and alpha, in an *image.NRGBA. It
// decodes whole images, and VP8L can describe a large image in very few
// bytes, so this package reads the RIFF chunks and the VP8L header itself
// first and refuses an image it could not decode without holding more memory
// than the file justifies. It also tells apart what it does not read yet:
// lossy (VP8) and animated images.
package webp

import "github.com/rlec/rlec/internal/codec"

func init() {
	codec.Register(&codec.Format{
		Name: "WebP",
		Exts: []string{".webp"},
		Match: func(head []byte) bool {
			return len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP"
		},
		Open: Open,
	})
}
