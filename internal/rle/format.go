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

// ParseHeader reads the header at the start of data. An image with no
// pixels is refused: the reference's decoder cannot read one (it divides
// by the width), and no image rlec reads has one.
func ParseHeader(data []byte) (Header, error) {
	if len(data) < HeaderSize {
		return Header{}, &Error{Offset: int64(len(data)), Msg: fmt.Sprintf("file is %s, shorter than the %d-byte header", plural(len(data), "byte"), HeaderSize)}
	}
	h := Header{
		Width:  int(binary.LittleEndian.Uint16(data)),
		Height: int(binary.LittleEndian.Uint16(data[2:])),
	}
	if h.Width == 0 || h.Height == 0 {
		return h, &Error{Offset: 0, Msg: fmt.Sprintf("the header says %dx%d pixels; an image is at least 1x1", h.Width, h.Height)}
	}
	return h, nil
}

// Bound limits what is read of a .rle file that comes as a stream, with
// no size known ahead: a body is at most a byte per pixel, and a byte whose
// run length is 0 ends the reading, since no valid file holds one and what
// was read is enough to report the fault. It is fileio.Bound.
type Bound struct {
	seen int64 // bytes shown to Stop
}

// Limit is how long a file starting with head may be.
func (b *Bound) Limit(head []byte) int64 {
	h, err := ParseHeader(head)
	if err != nil {
		return int64(len(head)) // enough to report the fault
	}
	return HeaderSize + int64(h.Width)*int64(h.Height)
}

// Stop reports whether block, the next of the file, holds a run of length
// 0 (past the header).
func (b *Bound) Stop(block []byte) bool {
	body := block[max(0, min(int64(len(block)), HeaderSize-b.seen)):]
	b.seen += int64(len(block))
	return bytes.IndexByte(body, 0) >= 0 || bytes.IndexByte(body, whiteBit) >= 0
}

// plural says n things: "1 byte", "2 bytes".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
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

// WithHint adds to err, from reading a file as .rle, a likely cause: hint
// says what the file is instead ("the file is a PNG image; rlec compress
// takes those"), when its first bytes say so. A file given to the wrong
// command is the usual cause of a malformed one. Errors other than *Error,
// and an empty hint, leave err as it is.
func WithHint(err error, hint string) error {
	if e := (*Error)(nil); hint != "" && errors.As(err, &e) {
		return fmt.Errorf("%w (%s)", err, hint)
	}
	return err
}
