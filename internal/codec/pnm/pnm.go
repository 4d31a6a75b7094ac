// Package pnm reads the netpbm formats PBM, PGM and PPM, plain (P1, P2, P3)
// and raw (P4, P5, P6), as the reference tool (Pillow 9.4) reads them, and
// writes raw PBM.
//
// The standard library and golang.org/x/image have no netpbm reader, and
// the reference's own reading has details a generic one would not have: a
// comment is cut out of the text wherever it stands, even inside a number;
// samples are scaled with Python's round (halves to even) unless maxval is
// 255, or 65535 in a raw PGM; and raw values over maxval are clipped where
// plain ones are refused. This package reproduces them, except for one
// reference bug: Pillow reads plain files in 1 MiB blocks and may split a
// number across two of them; here every number is read whole.
//
// A raw PBM goes straight into the bitset, one byte swap per 64 pixels, and
// its rows, being at fixed offsets, can be read in any order by several
// goroutines (codec.RowsAt). Other images are read a row at a time.
package pnm

import "github.com/rlec/rlec/internal/codec"

func init() {
	codec.Register(&codec.Format{
		Name:       "PNM",
		Exts:       []string{".pbm", ".pgm", ".ppm", ".pnm"},
		Match:      func(head []byte) bool { return matchMagic(head, '1', '6') },
		Open:       Open,
		Writes:     "pbm",
		WriteExts:  []string{".pbm", ".pnm"},
		NewEncoder: NewEncoder,
		Layout:     Layout,
	})
	// PAM shares the netpbm magic, P7, but neither rlec nor the reference
	// reads it; it is registered to be named when refused.
	codec.Register(&codec.Format{
		Name:    "PAM",
		Exts:    []string{".pam"},
		Match:   func(head []byte) bool { return matchMagic(head, '7', '7') },
		Refusal: "P7 images are not read, nor by the reference tool; convert them to PGM or PPM",
	})
}

// matchMagic reports whether head starts with a netpbm magic number P<lo>
// to P<hi> followed by whitespace or a comment.
func matchMagic(head []byte, lo, hi byte) bool {
	return len(head) >= 3 && head[0] == 'P' && head[1] >= lo && head[1] <= hi &&
		(isSpace(head[2]) || head[2] == '#')
}
