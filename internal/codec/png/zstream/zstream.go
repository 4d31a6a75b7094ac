// Package zstream reads the zlib stream of a PNG's image data as Pillow
// 9.4, through zlib, reads it, and computes the stream's Adler-32 checksum
// for the PNG writer.
//
// The stream is inflated by compress/flate; compress/zlib, around it, is
// not used, for two reasons. Its checksum, hash/adler32, adds a byte at a
// time, which on a bilevel page costs as much as a good part of the
// inflating (Adler adds eight at a time). And where the data is cut short
// or corrupt near the image's end, which rows Pillow gets and whether it
// reports an error hangs on how zlib works through the last bytes, which
// compress/flate, decoding ahead, cannot tell: there the data is decoded
// again, slowly, bit by bit as zlib decodes it (Reader.Again, puff.go).
package zstream

import (
	"bufio"
	"compress/flate"
	"encoding/binary"
	"errors"
	"io"
)

var (
	// ErrChecksum is the error for a stream whose checksum is wrong.
	ErrChecksum = errors.New("the image data fails its zlib checksum")
	// ErrHeader is the error for a stream whose header PNG refuses.
	ErrHeader = errors.New("the image data is not a zlib stream PNG allows")
)

// BlockSize is the most data Pillow reads from the file at a time, of one
// chunk: the blocks of data zlib is given.
const BlockSize = 64 << 10

// MaxSalvage is how far from the image's end data cut short is decoded
// again (Reader.Salvage): compress/flate holds back fewer than 15 bits'
// worth of symbols, 14 matches at most.
const MaxSalvage = 14 * 258

// Source is the data a Reader reads: the zlib stream, header and all. It
// is a flate.Reader, so that compress/flate reads from it directly, not
// through a bufio.Reader of its own: the source's blocks are then the
// blocks Pillow reads, and nothing is read past the data the image needs.
type Source interface {
	flate.Reader
	// Ended reports whether the data has ended for good with io.EOF, not
	// merely stopped at the end of a block.
	Ended() bool
	// Replay reads the data again from its start: r is the whole stream,
	// and spans the stretches of the file it is stored in, start and end
	// (nil for one block of all of it). Pillow reads each stretch in
	// blocks of at most BlockSize bytes.
	Replay() (r io.Reader, spans [][2]int64)
}

// Reader is a zlib stream over compress/flate: compress/zlib's reader,
// with a faster checksum, and a way to decode the data again as zlib and
// Pillow would (again) where compress/flate cannot say what they do.
type Reader struct {
	d     Source
	f     io.ReadCloser // nil until the header is read
	sum   Adler
	err   error // io.EOF, ErrChecksum, or why the stream broke
	total int64 // bytes inflated
	// cut is set when the data ends before the deflate stream does; tail
	// holds what salvage then found, not yet read.
	cut  bool
	tail []byte
}

// NewReader returns a Reader of the zlib stream in d.
func NewReader(d Source) *Reader { return &Reader{d: d} }

func (z *Reader) Read(p []byte) (int, error) {
	if len(z.tail) > 0 {
		n := copy(p, z.tail)
		z.tail = z.tail[n:]
		return n, nil
	}
	if z.err != nil {
		return 0, z.err
	}
	if z.f == nil {
		if z.err = z.header(); z.err != nil {
			return 0, z.err
		}
	}
	n, err := z.f.Read(p)
	z.sum.Write(p[:n])
	z.total += int64(n)
	switch {
	case err == io.ErrUnexpectedEOF && z.d.Ended():
		z.cut, z.err = true, err
	case err == io.EOF:
		var b [4]byte
		if _, err := io.ReadFull(z.d, b[:]); err != nil {
			z.err = noEOF(err)
			break
		}
		z.err = io.EOF
		if binary.BigEndian.Uint32(b[:]) != z.sum.Sum32() {
			z.err = ErrChecksum
		}
	case err != nil:
		z.err = err
	}
	if n > 0 {
		return n, nil
	}
	return 0, z.err
}

// header reads the stream's two-byte header: Deflate, a window zlib
// allows, a correct check, and no preset dictionary.
func (z *Reader) header() error {
	var h [2]byte
	if _, err := io.ReadFull(z.d, h[:]); err != nil {
		return noEOF(err)
	}
	if h[0]&0x0f != 8 || h[0]>>4 > 7 || (uint(h[0])<<8|uint(h[1]))%31 != 0 || h[1]&0x20 != 0 {
		return ErrHeader
	}
	z.f = flate.NewReader(z.d)
	z.sum = NewAdler()
	return nil
}

// Cut reports whether the data has ended before the deflate stream did,
// and Salvage has not been called since.
func (z *Reader) Cut() bool { return z.cut }

// Again decodes the data again, from its start, as zlib and Pillow would
// have, in rows of rowSize(0), rowSize(1) ... bytes, rows of them.
func (z *Reader) Again(rowSize func(int) int, rows int) Pillow {
	r, spans := z.d.Replay()
	br := bufio.NewReader(r)
	br.Discard(2) // the header, checked before
	return cutRows(replayed{r: br, spans: spans}, rowSize, rows, z.total)
}

// Salvage decodes the data again once compress/flate has found it cut
// short (Cut), as Again does, and reads the bytes compress/flate held back
// next, as far as Pillow would have had them.
func (z *Reader) Salvage(rowSize func(int) int, rows int) Pillow {
	z.cut = false
	p := z.Again(rowSize, rows)
	z.tail = p.tail
	return p
}

// noEOF turns the end of the data, met where more was due, into
// io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
