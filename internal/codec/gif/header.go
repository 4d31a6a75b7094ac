package gif

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"image/color"
	"io"

	"github.com/rlec/rlec/internal/bitmap"
)

// frame is what a GIF's headers say about its first frame.
type frame struct {
	width, height int // the image: the logical screen, grown to hold the frame
	x, y, w, h    int // the frame's rectangle
	interlaced    bool
	litWidth      int  // the LZW minimum code size
	fill          byte // the index of the pixels outside the frame
	// palette is the colour table the frame is converted with (mode P), or
	// nil when its indices are grey levels (mode L).
	palette []color.RGBA
	offset  int64 // where the frame's LZW data starts
}

// reader reads a GIF's headers from its start, keeping count of the bytes
// read.
type reader struct {
	br *bufio.Reader
	n  int64
}

// read reads up to n bytes: fewer at the end of the file, as the
// reference's reads return.
func (r *reader) read(n int) ([]byte, error) {
	b := make([]byte, n)
	k, err := io.ReadFull(r.br, b)
	r.n += int64(k)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return b[:k], err
}

// byte reads a byte; ok is false at the end of the file.
func (r *reader) byte() (c byte, ok bool, err error) {
	c, err = r.br.ReadByte()
	if err == io.EOF {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	r.n++
	return c, true, nil
}

// subBlock reads a data sub-block: nil for the empty block that ends a
// sequence, or at the end of the file.
func (r *reader) subBlock() ([]byte, error) {
	n, ok, err := r.byte()
	if err != nil || !ok || n == 0 {
		return nil, err
	}
	return r.read(int(n))
}

var errTruncated = errors.New("the file ends before the first image: truncated")

// readHeader reads the screen descriptor, the extensions and the image
// descriptor of the first frame as the reference reads them: bytes that
// start no block are skipped, and the last graphic control extension with a
// transparent index before the frame gives the index of the pixels around
// it. Extensions the reference cannot parse (a graphic control block
// shorter than its fields, an application extension with no data) are
// refused, as it refuses them.
func readHeader(r *reader) (*frame, error) {
	screen, err := r.read(13)
	if err != nil {
		return nil, err
	}
	if len(screen) < 13 {
		return nil, errors.New("the file ends in the screen descriptor: truncated")
	}
	if s := string(screen[:6]); s != "GIF87a" && s != "GIF89a" {
		return nil, fmt.Errorf("not a GIF file (signature %q)", s)
	}
	f := &frame{
		width:  int(binary.LittleEndian.Uint16(screen[6:])),
		height: int(binary.LittleEndian.Uint16(screen[8:])),
	}
	var global, local []byte
	if screen[10]&0x80 != 0 {
		if global, err = readTable(r, screen[10]); err != nil {
			return nil, err
		}
	}
	transparent := -1
	for {
		c, ok, err := r.byte()
		if err != nil {
			return nil, err
		}
		if !ok || c == ';' {
			return nil, errors.New("the file holds no image")
		}
		switch c {
		case '!':
			if err := readExtension(r, &transparent); err != nil {
				return nil, err
			}
			continue
		case ',':
		default:
			continue // the reference skips what starts no block
		}
		d, err := r.read(9)
		if err != nil {
			return nil, err
		}
		if len(d) < 9 {
			return nil, errTruncated
		}
		le := func(i int) int { return int(binary.LittleEndian.Uint16(d[i:])) }
		f.x, f.y, f.w, f.h = le(0), le(2), le(4), le(6)
		f.interlaced = d[8]&0x40 != 0
		if d[8]&0x80 != 0 {
			if local, err = readTable(r, d[8]); err != nil {
				return nil, err
			}
		}
		lit, ok, err := r.byte()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errTruncated
		}
		f.litWidth, f.offset = int(lit), r.n
		break
	}
	if f.w == 0 || f.h == 0 {
		return nil, fmt.Errorf("the first frame is %dx%d pixels", f.w, f.h)
	}
	if f.litWidth > 12 {
		return nil, fmt.Errorf("LZW minimum code size %d is over 12", f.litWidth)
	}
	// A frame that passes the screen's edge grows the image.
	f.width, f.height = max(f.width, f.x+f.w), max(f.height, f.y+f.h)
	if f.width > bitmap.MaxDimension || f.height > bitmap.MaxDimension {
		return nil, fmt.Errorf("image size %dx%d is over %d, the most a .rle file holds", f.width, f.height, bitmap.MaxDimension)
	}
	if transparent >= 0 {
		f.fill = byte(transparent)
	}
	switch {
	case local != nil && !greyRamp(local):
		f.palette = palette(local)
	case global != nil && !greyRamp(global):
		f.palette = palette(global)
	}
	return f, nil
}

// readTable reads a colour table of the size flags give.
func readTable(r *reader, flags byte) ([]byte, error) {
	n := 3 << (flags&7 + 1)
	t, err := r.read(n)
	if err == nil && len(t) < n {
		err = errors.New("the file ends in a colour table: truncated")
	}
	return t, err
}

// readExtension reads an extension after its introducer, noting a
// transparent index.
func readExtension(r *reader, transparent *int) error {
	label, ok, err := r.byte()
	if err != nil {
		return err
	}
	if !ok {
		return errTruncated
	}
	block, err := r.subBlock()
	if err != nil {
		return err
	}
	switch label {
	case 0xf9: // graphic control
		if len(block) < 3 || block[0]&1 != 0 && len(block) < 4 {
			return fmt.Errorf("graphic control extension of %d bytes", len(block))
		}
		if block[0]&1 != 0 {
			*transparent = int(block[3])
		}
	case 0xfe: // comment: its blocks, up to the empty one
		for block != nil {
			if block, err = r.subBlock(); err != nil {
				return err
			}
		}
		return nil
	case 0xff: // application
		if block == nil {
			return errors.New("application extension with no data")
		}
		if string(block[:min(11, len(block))]) == "NETSCAPE2.0" {
			if block, err = r.subBlock(); err != nil {
				return err
			}
			if block == nil {
				return errors.New("NETSCAPE2.0 extension with no data")
			}
		}
	}
	// The reference skips sub-blocks up to an empty one even when the
	// first was the empty one: the byte after it is then taken for the
	// size of a sub-block.
	for {
		if block, err = r.subBlock(); err != nil || block == nil {
			return err
		}
	}
}

// greyRamp reports whether every entry i of a colour table is (i, i, i):
// the reference then needs no palette.
func greyRamp(t []byte) bool {
	for i := 0; i+2 < len(t); i += 3 {
		if t[i] != byte(i/3) || t[i+1] != byte(i/3) || t[i+2] != byte(i/3) {
			return false
		}
	}
	return true
}

func palette(t []byte) []color.RGBA {
	p := make([]color.RGBA, len(t)/3)
	for i := range p {
		p[i] = color.RGBA{R: t[3*i], G: t[3*i+1], B: t[3*i+2], A: 0xff}
	}
	return p
}
