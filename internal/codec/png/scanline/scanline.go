// Package scanline turns the rows of a PNG's image data, once inflated,
// into rows in the mode Pillow opens the image in (package convert's
// modes): it undoes the row filters, and expands samples of depths other
// than 8 bits, or keeps the high bytes of 16-bit ones, as Pillow's
// unpackers do.
//
// Go's image/png does the same work, but only inside a decoder that builds
// a whole image.Image; package png reads rows one at a time, and a 1-bit
// row goes into the bitset packed as it is. The Up filter, which most rows
// of a filtered page use, is undone eight bytes at a time.
package scanline

// PNG colour types.
const (
	Grey      = 0
	RGB       = 2
	Palette   = 3
	GreyAlpha = 4
	RGBA      = 6
)

// Channels is the number of samples a pixel of a colour type has.
func Channels(ctype int) int {
	switch ctype {
	case RGB:
		return 3
	case GreyAlpha:
		return 2
	case RGBA:
		return 4
	}
	return 1
}
