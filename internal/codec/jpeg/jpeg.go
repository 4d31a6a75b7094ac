// Package jpeg recognises JPEG files, which rlec does not read yet, so
// that it can name their format when it refuses them. Reading them as the
// reference does needs libjpeg-turbo's exact arithmetic (its accurate
// integer IDCT, fancy upsampling and colour tables), which image/jpeg does
// not have: it differs by one on a few per cent of pixels, which changes
// the dithering.
package jpeg

import "github.com/rlec/rlec/internal/codec"

func init() {
	codec.Register(&codec.Format{
		Name:    "JPEG",
		Exts:    []string{".jpg", ".jpeg"},
		Match:   Match,
		Refusal: "not read yet",
	})
}

// Match reports whether head starts as a JPEG file does: a start-of-image
// marker followed by another marker.
func Match(head []byte) bool {
	return len(head) >= 3 && head[0] == 0xff && head[1] == 0xd8 && head[2] == 0xff
}
