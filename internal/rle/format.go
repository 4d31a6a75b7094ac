// Package rle reads and writes the run-length format of the image-compression
// case study in Python 3 Object-Oriented Programming (FORMAT.md):
//
//	bytes 0-1  width, uint16 little-endian
//	bytes 2-3  height, uint16 little-endian
//	4...       every row, top first, cut into 127-pixel chunks; each chunk is
//	           its runs left to right, one byte each: bit 7 the value
//	           (1 = white), bits 0-6 the length (1 to 127)
package rle

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/rlec/rlec/internal/bitmap"
)

const (
	// HeaderSize is the size of the width and height fields.
	HeaderSize = 4
	// ChunkWidth is how many pixels of a row one chunk covers; it is also
	// the longest run one byte can hold.
	ChunkWidth = 127

	whiteBit = 0x80
	lenMask  = 0x7f
)

// Header is the image size a .rle file starts with.
type Header struct {
	Width, Height int
}

// ParseHeader reads the header at the start of data.
func ParseHeader(data []byte) (Header, error) {
	if len(data) < HeaderSize {
		return Header{}, &Error{Offset: int64(len(data)), Msg: fmt.Sprintf("file is %d bytes, shorter than the %d-byte header", len(data), HeaderSize)}
	}
	return Header{
		Width:  int(binary.LittleEndian.Uint16(data)),
		Height: int(binary.LittleEndian.Uint16(data[2:])),
	}, nil
}

// AppendHeader appends the header for a width×height image to dst. The
// caller's bitmap already respects bitmap.MaxDimension.
func AppendHeader(dst []byte, width, height int) []byte {
	dst = binary.LittleEndian.AppendUint16(dst, uint16(width))
	return binary.LittleEndian.AppendUint16(dst, uint16(height))
}

// ChunksPerRow is the number of chunks one row is cut into.
func ChunksPerRow(width int) int { return (width + ChunkWidth - 1) / ChunkWidth }

// appendBlank appends an all-white row of the given width: one full white
// run per chunk. Most rows of a page are blank, and the encoder and decoder
// both treat them apart. The full chunks are copied from fullWhiteChunks
// rather than appended a byte at a time, a cost every blank row would pay.
func appendBlank(dst []byte, width int) []byte {
	n := ChunksPerRow(width)
	if n == 0 {
		return dst
	}
	dst = append(dst, fullWhiteChunks[:n-1]...)
	return append(dst, whiteBit|byte(width-(n-1)*ChunkWidth))
}

// fullWhiteChunks is every chunk but the last of the widest blank row.
var fullWhiteChunks = bytes.Repeat([]byte{whiteBit | ChunkWidth}, bitmap.MaxDimension/ChunkWidth)

// MinBody is the smallest body a valid file of this size can have: one byte
// per chunk. (The largest, one byte per pixel, needs no check of its own: a
// longer body fails as trailing data.)
func (h Header) MinBody() int64 { return int64(h.Height) * int64(ChunksPerRow(h.Width)) }

// Error is a malformed .rle stream: what is wrong, and the byte offset in the
// file where it was found.
type Error struct {
	Offset int64
	Msg    string
}

func (e *Error) Error() string { return fmt.Sprintf("byte %d: %s", e.Offset, e.Msg) }

// WithHint adds to err, from reading data as a .rle file, a likely cause:
// a malformed file that starts as a BMP image does ("BM") was most likely
// given to the wrong command. (A sound .rle file 19778 pixels wide starts
// so too, and is read without error.) Errors other than *Error pass as
// they are.
func WithHint(data []byte, err error) error {
	if e := (*Error)(nil); errors.As(err, &e) && len(data) >= 2 && data[0] == 'B' && data[1] == 'M' {
		return fmt.Errorf("%w (the file starts as a BMP image does; rlec compress takes those)", err)
	}
	return err
}
