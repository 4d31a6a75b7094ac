package png

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"unicode/utf8"

	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/png/scanline"
)

// Limits of Pillow's PNG plugin, which refuses files past them.
const (
	// maxTextChunk is the most a compressed text or ICC chunk may inflate
	// to (ImageFile.SAFEBLOCK).
	maxTextChunk = 1 << 20
	// maxTextMemory is the most text all text chunks together may hold.
	maxTextMemory = 64 * maxTextChunk
	// maxInspected is the largest chunk whose whole contents rlec reads
	// into memory to check it as Pillow does; larger text and ICC chunks
	// are refused (Pillow refuses nearly all of them: their text is over
	// maxTextMemory or inflates past maxTextChunk).
	maxInspected = maxTextMemory + 1<<20
)

// chunkType is the four-letter name of a chunk.
type chunkType [4]byte

func (t chunkType) String() string { return string(t[:]) }

// valid reports whether t is a name Pillow reads on: four of [A-Za-z0-9_]
// (its regular expression \w\w\w\w on bytes).
func (t chunkType) valid() bool {
	for _, c := range t {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// chunk is a chunk's header: where it is and what it holds.
type chunk struct {
	off    int64 // the chunk's first byte, its length field
	length int64
	typ    chunkType
}

// data is the offset of the chunk's data; next, that of the chunk after it.
func (c chunk) data() int64 { return c.off + 8 }
func (c chunk) next() int64 { return c.off + 12 + c.length }

// stream holds what the chunks read so far say about the image, as
// Pillow's PngStream does; the chunks after the image data go through the
// same handlers, which may still refuse the file.
type stream struct {
	r     io.ReaderAt
	size  int64
	buf   []byte // the contents of the chunk being handled
	block []byte // the rest of a chunk, read for its checksum

	// IHDR: the size is that of the last IHDR; depth and colour type
	// those of the last IHDR whose pair Pillow has a mode for.
	sawIHDR       bool
	width, height int64
	hasMode       bool
	depth, ctype  int
	interlaced    bool // set by any IHDR, never cleared

	// The last PLTE read while the mode was a palette's: its first bytes
	// (enough for 257 entries) and its length.
	palette    []byte
	paletteLen int64

	// APNG: the last frame control's sequence number (-1 before any), the
	// frame count of acTL (0 for none), the first frame's rectangle.
	seq          int64
	frames       uint32
	hasBBox      bool
	bbox         rect
	defaultImage bool // an IDAT not part of an animation

	textMemory int64
}

type rect struct{ x, y, w, h int }

// header reads the header of the chunk at off. ok is false when the file
// ends before the header does.
func (s *stream) header(off int64) (c chunk, ok bool, err error) {
	var b [8]byte
	n, err := s.r.ReadAt(b[:], off)
	if n < len(b) {
		if err != nil && err != io.EOF {
			return c, false, err
		}
		return c, false, nil
	}
	c = chunk{off: off, length: int64(binary.BigEndian.Uint32(b[:4]))}
	copy(c.typ[:], b[4:])
	return c, true, nil
}

// available reports whether the file holds the first n bytes of c's data.
func (s *stream) available(c chunk, n int64) bool {
	return codec.Available(s.r, s.size, c.data()+n)
}

// read reads the first n bytes of c's data into s.buf, after checking
// that the file holds all of it. With check set it also reads the rest
// and the CRC, and checks that.
func (s *stream) read(c chunk, n int64, check bool) ([]byte, error) {
	if !s.available(c, c.length) {
		return nil, fmt.Errorf("the %s chunk at offset %d is cut short by the end of the file", c.typ, c.off)
	}
	n = min(n, c.length)
	if n > maxInspected {
		return nil, fmt.Errorf("a %s chunk of %d bytes is more than rlec reads", c.typ, c.length)
	}
	if int64(cap(s.buf)) < n {
		s.buf = make([]byte, n)
	}
	data := s.buf[:n]
	if err := s.readAt(data, c.data()); err != nil {
		return nil, fmt.Errorf("reading the %s chunk at offset %d: %w", c.typ, c.off, err)
	}
	if !check {
		return data, nil
	}
	crc := crc32.Update(crc32.ChecksumIEEE(c.typ[:]), crc32.IEEETable, data)
	for off := n; off < c.length; {
		if s.block == nil {
			s.block = make([]byte, 32<<10)
		}
		block := s.block[:min(int64(len(s.block)), c.length-off)]
		if err := s.readAt(block, c.data()+off); err != nil {
			return nil, fmt.Errorf("reading the %s chunk at offset %d: %w", c.typ, c.off, err)
		}
		crc = crc32.Update(crc, crc32.IEEETable, block)
		off += int64(len(block))
	}
	var b [4]byte
	if err := s.readAt(b[:], c.data()+c.length); err != nil {
		return nil, fmt.Errorf("the %s chunk at offset %d has no checksum: %w", c.typ, c.off, err)
	}
	if binary.BigEndian.Uint32(b[:]) != crc {
		return nil, fmt.Errorf("bad checksum in the %s chunk at offset %d", c.typ, c.off)
	}
	return data, nil
}

// readAt fills p from offset off, or fails; the end of the file is
// io.ErrUnexpectedEOF.
func (s *stream) readAt(p []byte, off int64) error {
	n, err := s.r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// keep is how much of a chunk of type t its handler looks at.
func keep(t chunkType, length int64) int64 {
	switch string(t[:]) {
	case "IHDR":
		return 13
	case "PLTE":
		return min(length, 3*257) // more than 256 entries is refused anyway
	case "tRNS", "sRGB", "gAMA", "pHYs", "acTL", "fcTL":
		return 26
	case "tEXt", "zTXt", "iTXt", "iCCP":
		return length
	}
	return 0
}

// handle checks the contents of an ancillary or header chunk and notes
// what it says, as Pillow's chunk handlers do. data holds what keep asks
// for; length is the chunk's whole length.
func (s *stream) handle(c chunk, data []byte) error {
	short := func() error {
		return fmt.Errorf("the %s chunk at offset %d is too short (%d bytes)", c.typ, c.off, c.length)
	}
	switch string(c.typ[:]) {
	case "IHDR":
		if c.length < 13 {
			return short()
		}
		s.sawIHDR = true
		s.width, s.height = int64(binary.BigEndian.Uint32(data)), int64(binary.BigEndian.Uint32(data[4:]))
		if depth, ctype := int(data[8]), int(data[9]); validMode(depth, ctype) {
			s.hasMode, s.depth, s.ctype = true, depth, ctype
		} else if !s.hasMode {
			s.depth, s.ctype = depth, ctype // for the message
		}
		if data[12] != 0 {
			s.interlaced = true
		}
		if data[11] != 0 {
			return fmt.Errorf("unknown filter method %d", data[11])
		}
	case "PLTE":
		if s.hasMode && s.ctype == scanline.Palette {
			s.palette, s.paletteLen = append(s.palette[:0], data...), c.length
		}
	case "tRNS":
		switch {
		case !s.hasMode:
		case s.ctype == scanline.Grey && c.length < 2, s.ctype == scanline.RGB && c.length < 6:
			return short()
		}
	case "gAMA":
		if c.length < 4 {
			return short()
		}
	case "cHRM":
		if c.length%4 != 0 {
			return fmt.Errorf("the cHRM chunk at offset %d is %d bytes long, not a multiple of 4", c.off, c.length)
		}
	case "sRGB":
		if c.length < 1 {
			return short()
		}
	case "pHYs":
		if c.length < 9 {
			return short()
		}
	case "tEXt":
		if k, v, _ := bytes.Cut(data, []byte{0}); len(k) > 0 {
			return s.text(len(v))
		}
	case "zTXt":
		return s.zTXt(data)
	case "iTXt":
		return s.iTXt(data)
	case "iCCP":
		return iCCP(c, data)
	case "acTL":
		if c.length < 8 {
			return short()
		}
		switch n := binary.BigEndian.Uint32(data); {
		case s.frames != 0:
			s.frames = 0 // a second acTL: Pillow falls back to the default image
		case n != 0 && n <= 1<<31:
			s.frames = n
		}
	case "fcTL":
		return s.fcTL(c, data)
	}
	return nil
}

// text counts n characters of text towards Pillow's limit.
func (s *stream) text(n int) error {
	s.textMemory += int64(n)
	if s.textMemory > maxTextMemory {
		return fmt.Errorf("the text chunks hold more than %d characters", maxTextMemory)
	}
	return nil
}

func (s *stream) zTXt(data []byte) error {
	k, v, _ := bytes.Cut(data, []byte{0})
	if len(v) > 0 && v[0] != 0 {
		return fmt.Errorf("unknown compression method %d in a zTXt chunk", v[0])
	}
	var text []byte
	if len(v) > 0 {
		var err error
		if text, err = inflateText(v[1:]); err != nil {
			return err
		}
	}
	if len(k) > 0 {
		return s.text(len(text))
	}
	return nil
}

func (s *stream) iTXt(data []byte) error {
	k, r, ok := bytes.Cut(data, []byte{0})
	if !ok || len(r) < 2 {
		return nil
	}
	compressed, method := r[0], r[1]
	lang, r, ok := bytes.Cut(r[2:], []byte{0})
	if !ok {
		return nil
	}
	tkey, v, ok := bytes.Cut(r, []byte{0})
	if !ok {
		return nil
	}
	if compressed != 0 {
		if method != 0 {
			return nil
		}
		text, err := inflateText(v)
		if err != nil || text == nil {
			return err
		}
		v = text
	}
	// The keyword is latin-1, which any bytes are; the rest must be UTF-8,
	// and Pillow counts its characters.
	_ = k
	if !utf8.Valid(lang) || !utf8.Valid(tkey) || !utf8.Valid(v) {
		return nil
	}
	return s.text(utf8.RuneCount(v))
}

// iCCP checks an ICC profile chunk as Pillow does, quirks included: the
// compression method it tests is the byte at the keyword's terminator
// (the last byte when there is none), and it inflates from two bytes past
// that.
func iCCP(c chunk, data []byte) error {
	if len(data) == 0 {
		return fmt.Errorf("the iCCP chunk at offset %d is empty", c.off)
	}
	i := bytes.IndexByte(data, 0)
	if i < 0 {
		if m := data[len(data)-1]; m != 0 {
			return fmt.Errorf("unknown compression method %d in the iCCP chunk", m)
		}
	}
	_, err := inflateText(data[min(i+2, len(data)):])
	return err
}

var errTextTooLarge = errors.New("a compressed text or ICC chunk inflates to more than 1 MiB")

// inflateText inflates a compressed text chunk's zlib stream as Pillow
// does: more than maxTextChunk bytes is refused, a broken stream is nil
// (Pillow ignores it), one cut short is what it gives.
func inflateText(z []byte) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, nil
	}
	text, err := io.ReadAll(io.LimitReader(zr, maxTextChunk+1))
	switch {
	case len(text) > maxTextChunk:
		return nil, errTextTooLarge
	case err == io.ErrUnexpectedEOF || err == nil:
		return text, nil
	}
	return nil, nil
}

// fcTL notes an APNG frame control: its sequence number must follow the
// last, and its rectangle lie inside the image.
func (s *stream) fcTL(c chunk, data []byte) error {
	if c.length < 26 {
		return fmt.Errorf("the fcTL chunk at offset %d is too short (%d bytes)", c.off, c.length)
	}
	if err := s.nextSeq(int64(binary.BigEndian.Uint32(data)), false); err != nil {
		return err
	}
	be := func(i int) int64 { return int64(binary.BigEndian.Uint32(data[i:])) }
	w, h, x, y := be(4), be(8), be(12), be(16)
	if x+w > s.width || y+h > s.height {
		return fmt.Errorf("the APNG frame %dx%d at (%d, %d) lies outside the %dx%d image", w, h, x, y, s.width, s.height)
	}
	s.hasBBox, s.bbox = true, rect{int(x), int(y), int(w), int(h)}
	return nil
}

// nextSeq checks an APNG sequence number: 0 first, then one more each time.
// A frame data chunk needs a frame control before it: Pillow compares its
// number with the last.
func (s *stream) nextSeq(seq int64, data bool) error {
	if data && s.seq < 0 {
		return errors.New("an fdAT chunk with no fcTL before it")
	}
	if seq != s.seq+1 {
		return fmt.Errorf("APNG sequence number %d where %d was due", seq, s.seq+1)
	}
	s.seq = seq
	return nil
}

// trailer reads the chunks after the image data, from the end of the data
// of the chunk the image ended in, as Pillow does once it has the image: up
// to IEND, a chunk type it cannot read, the next frame of an animation or
// the end of the file, without checking checksums. A chunk cut short by
// the end of the file, or one its handler refuses, fails the image.
func (s *stream) trailer(off int64, animated bool) error {
	for {
		c, ok, err := s.header(off + 4) // past the checksum
		if err != nil {
			return err
		}
		if !ok || !c.typ.valid() {
			return nil
		}
		switch c.typ.String() {
		case "IEND":
			return nil
		case "fcTL":
			if animated {
				return nil
			}
		case "fdAT":
			seq, err := s.fdATSeq(c)
			if err != nil {
				return err
			}
			if err := s.nextSeq(seq, true); err != nil {
				return err
			}
		}
		data, err := s.read(c, keep(c.typ, c.length), false)
		if err != nil {
			return err
		}
		if err := s.handle(c, data); err != nil {
			return err
		}
		off = c.data() + c.length
	}
}
