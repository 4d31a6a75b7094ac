// Package ccitt reads and writes the bilevel codings of ITU-T T.4 and T.6
// (fax Group 3 and Group 4), as TIFF stores them: modified Huffman (TIFF
// compression 2), T.4 one- and two-dimensional, with or without fill bits
// (3), and T.6 (4).
//
// golang.org/x/image/ccitt reads T.6 correctly, but it fails on Group 3
// data with fill bits, on two-dimensional Group 3 and on modified Huffman
// rows, and it decodes a pixel at a time into a byte per pixel. This
// package decodes run lengths and fills them into packed rows a word at a
// time, so that a page, mostly long white runs, costs little more than its
// codes; and it reads what real files hold as libtiff does (EOLs before the
// first row, fill bits where the options say none, RTC after the last
// row, rows ended early by an EOL), while refusing codes it cannot decode.
//
// Rows are bitmap rows (package bitmap): pixel x is bit 63-x%64 of word
// x/64, 1 for a pixel of a white run and 0 for one of a black run. In a
// TIFF, a white run stands for 0 bits of the image (libtiff's convention,
// which Pillow follows), read then as any 1-bit image is: with
// PhotometricInterpretation 0 (min-is-white) the decoded rows are the
// image, with 1 (min-is-black) every pixel is to be inverted.
package ccitt

import "fmt"

// Coding is a CCITT coding scheme.
type Coding int

const (
	// ModifiedHuffman is TIFF compression 2: T.4 one-dimensional codes with
	// no EOLs, each row starting on a byte boundary.
	ModifiedHuffman Coding = iota + 1
	// T4 is TIFF compression 3 (Group 3): rows separated by EOL codes,
	// one-dimensional, or two-dimensional when Options.TwoD is set.
	T4
	// T6 is TIFF compression 4 (Group 4): two-dimensional, no EOLs.
	T6
)

func (c Coding) String() string {
	switch c {
	case ModifiedHuffman:
		return "modified Huffman"
	case T4:
		return "T.4"
	case T6:
		return "T.6"
	}
	return fmt.Sprintf("Coding(%d)", int(c))
}

// Options describe coded data.
type Options struct {
	Coding Coding
	// Width is the number of pixels in a row. Height is the number of rows
	// coded; 0 means unknown, in which case ReadRow returns io.EOF where
	// the data ends.
	Width, Height int
	// TwoD is T4Options bit 0: the rows are coded two-dimensionally, each
	// EOL followed by a bit that says how the next row is coded.
	TwoD bool
	// FillBits is T4Options bit 2: fill bits before each EOL so that it
	// ends on a byte boundary. The decoder accepts fill bits before any
	// EOL whether or not it is set.
	FillBits bool
}

// MaxWidth is the widest row the decoder accepts.
const MaxWidth = 1 << 20

// An Error is a fault in coded data. Row counts from 0, the first row of
// the data given to NewDecoder; Pixel is where in the row the fault was
// found, or -1 when it is not about a pixel.
type Error struct {
	Row, Pixel int
	Msg        string
}

func (e *Error) Error() string {
	if e.Pixel < 0 {
		return fmt.Sprintf("%s at row %d", e.Msg, e.Row)
	}
	return fmt.Sprintf("%s at row %d, pixel %d", e.Msg, e.Row, e.Pixel)
}
