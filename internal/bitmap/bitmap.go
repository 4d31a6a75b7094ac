// Package bitmap holds a black-and-white image as a packed bitset and reads
// and writes it as BMP.
//
// Pixels are packed most significant bit first: pixel x of a row is bit
// 63-(x%64) of word x/64. That is the bit order of a 1-bit BMP row read as
// big-endian 64-bit words, so BMP rows load with one byte swap per 64 pixels,
// and runs are found with bits.LeadingZeros64. A set bit is white.
package bitmap

import (
	"fmt"
	"slices"
)

// MaxDimension is the largest width or height an image may have: the .rle
// header stores each in 16 bits.
const MaxDimension = 65535

// Bitmap is a 1-bit image. Bits past Width in the last word of a row are
// always zero, so two bitmaps with the same pixels have the same words.
type Bitmap struct {
	Width, Height int
	Stride        int      // words per row
	Words         []uint64 // Height rows of Stride words, top row first
}

// WordsPerRow is the number of 64-bit words that hold width pixels.
func WordsPerRow(width int) int { return (width + 63) / 64 }

// New returns an all-black bitmap. Width and height must be in
// [0, MaxDimension]; callers check a file's claims before calling New.
func New(width, height int) (*Bitmap, error) { return NewIn(nil, width, height) }

// NewIn is New, in buf's memory when buf has room for the image, so that a
// band can serve image after image.
func NewIn(buf []uint64, width, height int) (*Bitmap, error) {
	if width < 0 || height < 0 || width > MaxDimension || height > MaxDimension {
		return nil, fmt.Errorf("image size %dx%d is outside 0..%d", width, height, MaxDimension)
	}
	stride := WordsPerRow(width)
	n := stride * height
	if cap(buf) < n {
		return &Bitmap{Width: width, Height: height, Stride: stride, Words: make([]uint64, n)}, nil
	}
	words := buf[:n]
	clear(words)
	return &Bitmap{Width: width, Height: height, Stride: stride, Words: words}, nil
}

// Row returns the words of row y (0 is the top row).
func (b *Bitmap) Row(y int) []uint64 {
	return b.Words[y*b.Stride : (y+1)*b.Stride : (y+1)*b.Stride]
}

// Band returns rows [y0, y1) as a bitmap that shares b's memory.
func (b *Bitmap) Band(y0, y1 int) *Bitmap {
	return &Bitmap{Width: b.Width, Height: y1 - y0, Stride: b.Stride, Words: b.Words[y0*b.Stride : y1*b.Stride]}
}

// At reports whether pixel (x, y) is white.
func (b *Bitmap) At(x, y int) bool {
	return b.Words[y*b.Stride+x>>6]>>(63-uint(x&63))&1 == 1
}

// Set makes pixel (x, y) white or black.
func (b *Bitmap) Set(x, y int, white bool) {
	i, m := y*b.Stride+x>>6, uint64(1)<<(63-uint(x&63))
	if white {
		b.Words[i] |= m
	} else {
		b.Words[i] &^= m
	}
}

// Equal reports whether b and o have the same size and pixels.
func (b *Bitmap) Equal(o *Bitmap) bool {
	return b.Width == o.Width && b.Height == o.Height && slices.Equal(b.Words, o.Words)
}

// FillRow makes every pixel of row, a row width pixels wide, white or
// black, leaving the bits past width zero.
func FillRow(row []uint64, width int, white bool) {
	if !white || len(row) == 0 {
		clear(row)
		return
	}
	for i := range row {
		row[i] = ^uint64(0)
	}
	row[len(row)-1] = TailMask(width)
}

// PackedSize is the size in bytes of a width×height image at one bit per
// pixel, rows padded to a byte: the yardstick for compression ratios and
// throughput.
func PackedSize(width, height int) int64 { return int64((width+7)/8) * int64(height) }

// TailMask is the mask of the pixels of the last word of a row of the given
// width that lie inside the image.
func TailMask(width int) uint64 {
	if width&63 == 0 {
		return ^uint64(0)
	}
	return ^(^uint64(0) >> uint(width&63))
}
