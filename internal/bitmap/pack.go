package bitmap

import (
	"encoding/binary"
	"slices"
)

// Rows stored one bit a pixel, most significant bit first, are what 1-bit
// BMP, PBM, PNG and TIFF files hold, and what a Bitmap's words are when read
// big-endian: LoadRow and AppendRowBytes move rows between the two with one
// byte swap per 64 pixels.

// PackedStride is the size in bytes of a row of width pixels packed one bit
// a pixel, with no padding past the last byte.
func PackedStride(width int) int { return (width + 7) / 8 }

// LoadRow sets dst, a row of a bitmap width pixels wide, from src, the same
// row packed most significant bit first: at least PackedStride(width)
// bytes, 1 for white unless invert is set. Bits of src past width are
// padding, which writers need not zero; LoadRow clears them in dst, as a
// Bitmap's must be.
func LoadRow(dst []uint64, src []byte, width int, invert bool) {
	if len(dst) == 0 {
		return
	}
	var flip uint64
	if invert {
		flip = ^uint64(0)
	}
	last := len(dst) - 1
	loadWords(dst[:last], src, flip)
	dst[last] = (lastWord(src[8*last:]) ^ flip) & TailMask(width)
}

// loadWords fills dst with the words of src, 8 bytes each. It is the loop
// that reads every 1-bit image, kept on its own so that all it uses stays in
// registers (with the row's tail in the same function it ran at half
// speed). It takes four words a turn through array pointers, which the
// compiler indexes without a bounds check.
func loadWords(dst []uint64, src []byte, flip uint64) {
	src = src[:8*len(dst)]
	for len(dst) >= 4 && len(src) >= 32 {
		s, d := (*[32]byte)(src), (*[4]uint64)(dst)
		d[0] = binary.BigEndian.Uint64(s[0:8]) ^ flip
		d[1] = binary.BigEndian.Uint64(s[8:16]) ^ flip
		d[2] = binary.BigEndian.Uint64(s[16:24]) ^ flip
		d[3] = binary.BigEndian.Uint64(s[24:32]) ^ flip
		src, dst = src[32:], dst[4:]
	}
	for i := range dst {
		dst[i] = binary.BigEndian.Uint64(src[8*i:8*i+8]) ^ flip
	}
}

// lastWord reads the last, perhaps short, word of a row.
func lastWord(src []byte) uint64 {
	var b [8]byte
	copy(b[:], src)
	return binary.BigEndian.Uint64(b[:])
}

// AppendRowBytes appends row packed most significant bit first, 1 for
// white, as n bytes: n may be more than PackedStride(width), and the bytes
// past the row's last word are zero.
func AppendRowBytes(dst []byte, row []uint64, n int) []byte {
	start, words := len(dst), 8*len(row)
	end := start + max(n, words)
	dst = slices.Grow(dst, end-start)[:end]
	storeWords(dst[start:], row)
	clear(dst[start+words:])
	return dst[:start+n]
}

// storeWords writes the words of src to dst, 8 bytes each, big-endian: the
// loop that writes every decompressed image, kept on its own so that all it
// uses stays in registers (loadWords is its mirror).
func storeWords(dst []byte, src []uint64) {
	dst = dst[:8*len(src)]
	for i, w := range src {
		binary.BigEndian.PutUint64(dst[8*i:8*i+8], w)
	}
}
