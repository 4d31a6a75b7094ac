// Package decompress undoes the compressions and predictors TIFF strips
// and tiles are stored with, as libtiff undoes them (TIFFReadEncodedStrip):
// the stored bytes of a block, their bits reversed for FillOrder 2, then
// decompressed (PackBits, LZW old and new style, Deflate, or CCITT coding),
// then the predictor undone, a row at a time. What the rows mean (samples,
// modes, planes, tiles) is package tiff's business.
//
// LZW and PackBits are decoded here, as libtiff decodes them:
// golang.org/x/image/tiff/lzw reads new-style LZW only and stops adding
// codes where libtiff goes on (see lzw.go), and golang.org/x/image/tiff
// decodes whole blocks at a time, where a Reader holds a row and its
// decoders' state. Deflate is compress/zlib's, and CCITT coding package
// ccitt's.
package decompress

import (
	"compress/zlib"
	"encoding/binary"
	"io"
	"math/bits"

	"github.com/rlec/rlec/internal/ccitt"
)

// Compression schemes, by their numbers in the Compression field.
const (
	None      = 1
	CCITTRLE  = 2 // modified Huffman
	CCITTFax3 = 3 // Group 3
	CCITTFax4 = 4 // Group 4
	LZW       = 5
	OJPEG     = 6
	JPEG      = 7
	Deflate   = 8
	PackBits  = 32773
	DeflateZ  = 32946 // Deflate under its older number
)

// Names names the compression schemes rlec knows of, for messages: those
// it reads and those libtiff has beyond them.
var Names = map[uint64]string{
	None: "none", CCITTRLE: "CCITT modified Huffman", CCITTFax3: "CCITT Group 3",
	CCITTFax4: "CCITT Group 4", LZW: "LZW", OJPEG: "old-style JPEG", JPEG: "JPEG",
	Deflate: "Deflate", PackBits: "PackBits", DeflateZ: "Deflate",
	32771: "CCITT RLE (word-aligned)", 32809: "ThunderScan", 34676: "SGILog", 34677: "SGILog24",
	34925: "LZMA", 50000: "Zstandard", 50001: "WebP",
}

// IsFax reports whether c is one of the CCITT codings.
func IsFax(c int) bool { return c == CCITTRLE || c == CCITTFax3 || c == CCITTFax4 }

// Params say how the blocks of an image are stored.
type Params struct {
	Compression int // None, CCITTRLE, CCITTFax3, CCITTFax4, LZW, Deflate, DeflateZ or PackBits
	FillOrder2  bool
	T4Options   uint64 // Group 3: bit 0 two-dimensional, bit 2 fill bits
	// Predictor is 2 (horizontal differencing) or 3 (floating point),
	// which libtiff applies after LZW and Deflate only, or 0 or 1 for
	// none; the others describe the samples it works on: their size, how
	// many a pixel has in a block (all of them, or one for planar data),
	// and their byte order.
	Predictor     int
	BitsPerSample int
	Samples       int
	BigEndian     bool
}

// A Reader reads the rows of one strip or tile at a time, decompressed,
// the predictor undone. It keeps its buffers and tables from block to
// block.
type Reader struct {
	p        Params
	width    int
	rowBytes int
	src      source
	lzw      *lzwReader
	zr       io.ReadCloser
	pb       packBits
	fax      *ccitt.Decoder
	faxData  []byte
	faxRow   []uint64
	predTmp  []byte
}

// NewReader returns a Reader of blocks stored as p says.
func NewReader(p Params) *Reader { return &Reader{p: p} }

// Reset starts a block of rows rows, width pixels and rowBytes bytes each,
// whose stored data is the n bytes at off in r (n < 0: all that follows
// off, for a block whose byte count is unknown).
func (d *Reader) Reset(r io.ReaderAt, off uint64, n int64, width, rows, rowBytes int) error {
	d.width, d.rowBytes = width, rowBytes
	if IsFax(d.p.Compression) {
		return d.resetFax(r, off, n, width, rows)
	}
	d.src.reset(r, off, n, d.p.FillOrder2)
	switch d.p.Compression {
	case PackBits:
		d.pb = packBits{src: &d.src}
	case LZW:
		if d.lzw == nil {
			d.lzw = newLZWReader()
		}
		d.lzw.reset(&d.src)
	case Deflate, DeflateZ:
		if d.zr == nil {
			var err error
			d.zr, err = zlib.NewReader(&d.src)
			return err
		}
		return d.zr.(zlib.Resetter).Reset(&d.src, nil)
	}
	return nil
}

// ReadRow reads the block's next row into p, at least rowBytes long. The
// end of the block's data before the row's end is io.EOF or
// io.ErrUnexpectedEOF.
func (d *Reader) ReadRow(p []byte) error {
	p = p[:d.rowBytes]
	var err error
	switch d.p.Compression {
	case None:
		_, err = io.ReadFull(&d.src, p)
	case PackBits:
		err = d.pb.read(p)
	case LZW:
		err = d.lzw.read(p)
	case Deflate, DeflateZ:
		_, err = io.ReadFull(d.zr, p)
	default:
		err = d.readFax(p)
	}
	if err != nil {
		return err
	}
	if d.p.Predictor > 1 {
		d.predTmp = undoPredictor(p, d.p, d.predTmp)
	}
	return nil
}

// ReverseBits reverses the bits of every byte of b, for FillOrder 2.
func ReverseBits(b []byte) {
	for i, c := range b {
		b[i] = bits.Reverse8(c)
	}
}

// order is the byte order of the samples.
func (p Params) order() binary.ByteOrder {
	if p.BigEndian {
		return binary.BigEndian
	}
	return binary.LittleEndian
}
