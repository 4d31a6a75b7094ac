// Package tiff reads TIFF images as the reference tool reads them: Pillow
// 9.4, which takes an image's mode from the first IFD and reads
// uncompressed data itself, and hands compressed data to libtiff. It reads
// the first image of the file, in strips or tiles, either byte order,
// classic or BigTIFF, stored uncompressed or with CCITT modified Huffman,
// Group 3 or Group 4 coding, LZW (old and new style), Deflate or PackBits,
// with or without a horizontal or floating-point predictor, in every
// layout of Pillow's table of modes (package mode): bilevel, grey of 2 to
// 32 bits, integer or floating point, palette, RGB and RGBA (straight or
// premultiplied), grey and palette with alpha, and CMYK, chunky or planar.
//
// Bilevel images go straight into the bitset, a row of bytes or words at a
// time, never a byte a pixel; uncompressed bilevel strips can be read at
// any place (codec.RowsAt). Other images are read a row at a time,
// unpacked into the mode Pillow opens them in, and converted by package
// convert. Strips are decompressed as their rows are needed, and tiles a
// row of tiles at a time, so that memory is a row (or a row of tiles) and
// the decoders' state, never the whole image.
//
// It reads every file itself rather than through golang.org/x/image/tiff,
// which ignores FillOrder 2, inverts min-is-black CCITT images, refuses
// 2- and 4-bit grey, planar RGB and CMYK, decodes whole images at once, and
// codes CCITT with golang.org/x/image/ccitt, which fails on Group 3 with
// fill bits, two-dimensional Group 3 and modified Huffman. Decompression
// is package decompress's, which follows libtiff, and CCITT coding package
// ccitt's.
//
// Where the reference misreads a file, rlec reads what the file stores:
// compressed big-endian 32-bit samples (libtiff swaps them to the
// machine's order, and Pillow swaps them again) and uncompressed planar
// 16-bit samples (which Pillow reads as 8-bit). It also reads a few
// layouts the reference refuses: big-endian BigTIFF, uncompressed planar
// grey with alpha and premultiplied RGBA, and uncompressed FillOrder 2
// palette images of under 8 bits and min-is-white 8-bit grey.
// It refuses JPEG compression, the compressions libtiff has beyond those
// above, YCbCr and CIELab colour, and flipped or rotated images
// (Orientation 2 to 8).
//
// rlec writes 1-bit TIFFs, in Group 4, PackBits or uncompressed, with
// package write.
package tiff

import (
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/tiff/write"
)

func init() {
	codec.Register(&codec.Format{
		Name:       "TIFF",
		Exts:       []string{".tif", ".tiff"},
		Match:      match,
		Open:       Open,
		Writes:     "tiff",
		WriteExts:  []string{".tif", ".tiff"},
		NewEncoder: write.NewEncoder,
	})
}

// match recognises the byte order marks and version numbers of classic
// TIFF and BigTIFF, and the swapped version numbers Pillow accepts too.
func match(head []byte) bool {
	if len(head) < 4 {
		return false
	}
	switch string(head[:4]) {
	case "II*\x00", "MM\x00*", "II+\x00", "MM\x00+", "II\x00*", "MM*\x00":
		return true
	}
	return false
}
