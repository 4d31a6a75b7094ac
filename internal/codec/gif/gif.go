// Package gif reads the first frame of a GIF as the reference tool (Pillow
// 9.4) reads it: drawn on the logical screen, which grows to hold a frame
// larger than it, the pixels outside the frame being index 0, or the
// frame's transparent index when it has one.
//
// It parses the file itself rather than through image/gif, which crops the
// image to the frame, replaces the transparent palette entry with
// transparent black, and decodes whole images. The reference opens a frame
// in mode P with its colour table, or in mode L, the index being the grey
// level, when no table is needed because the one that applies is the grey
// ramp (i, i, i); a local ramp then gives way to the global table. The LZW
// decoder follows the reference's too: it accepts minimum code sizes 0 to
// 12 and ignores the data after the frame's last pixel. Rows are decoded
// as they are asked for, interlaced ones too, so that no more than a few
// decoders' state is held, whatever the frame's size.
package gif

import "github.com/rlec/rlec/internal/codec"

func init() {
	codec.Register(&codec.Format{
		Name: "GIF",
		Exts: []string{".gif"},
		Match: func(head []byte) bool {
			return len(head) >= 6 && (string(head[:6]) == "GIF87a" || string(head[:6]) == "GIF89a")
		},
		Open: Open,
	})
}
