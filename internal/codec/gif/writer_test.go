package gif_test

import (
	"bytes"
	"compress/lzw"
	"encoding/binary"
	"image/color"
)

// spec is a GIF for the tests to write: a screen and frames, each with
// the options of the format the reader must follow.
type spec struct {
	version      string // "GIF89a" unless set
	screenW      int
	screenH      int
	global       []color.RGBA // nil: no global colour table
	tableBits    int          // the size of the tables written, 2^tableBits entries; 0: the smallest that holds them
	background   byte
	beforeFrames []byte // extensions or other bytes written before the first frame
	frames       []frameSpec
	noTrailer    bool
}

type frameSpec struct {
	x, y, w, h  int
	local       []color.RGBA
	interlaced  bool
	transparent int  // -1: no graphic control extension
	litWidth    int  // 0: the smallest that holds the table (at least 2)
	literal     bool // write every pixel as a literal code, any litWidth 0..12
	// pixels are the frame's indices, row by row, top row first: at most
	// w*h (fewer makes data that ends early).
	pixels []int
	// noEnd leaves out the end code (literal frames only).
	noEnd bool
}

func tableBits(n, min int) int {
	b := 1
	for 1<<b < n {
		b++
	}
	return max(b, min)
}

func appendTable(b []byte, p []color.RGBA, bits int) []byte {
	for i := range 1 << bits {
		var c color.RGBA
		if i < len(p) {
			c = p[i]
		}
		b = append(b, c.R, c.G, c.B)
	}
	return b
}

// bytes writes the GIF.
func (s spec) bytes() []byte {
	le := binary.LittleEndian.AppendUint16
	v := s.version
	if v == "" {
		v = "GIF89a"
	}
	b := []byte(v)
	b = le(b, uint16(s.screenW))
	b = le(b, uint16(s.screenH))
	var flags byte
	gbits := 0
	if s.global != nil {
		gbits = tableBits(len(s.global), s.tableBits)
		flags = 0x80 | byte(gbits-1)
	}
	b = append(b, flags, s.background, 0)
	if s.global != nil {
		b = appendTable(b, s.global, gbits)
	}
	b = append(b, s.beforeFrames...)
	for _, f := range s.frames {
		if f.transparent >= 0 {
			b = append(b, 0x21, 0xf9, 4, 1, 0, 0, byte(f.transparent), 0)
		}
		b = append(b, ',')
		b = le(b, uint16(f.x))
		b = le(b, uint16(f.y))
		b = le(b, uint16(f.w))
		b = le(b, uint16(f.h))
		flags, lbits := byte(0), 0
		if f.interlaced {
			flags |= 0x40
		}
		if f.local != nil {
			lbits = tableBits(len(f.local), s.tableBits)
			flags |= 0x80 | byte(lbits-1)
		}
		b = append(b, flags)
		if f.local != nil {
			b = appendTable(b, f.local, lbits)
		}
		lit := f.litWidth
		if lit == 0 && !f.literal {
			lit = max(2, gbits, lbits)
		}
		b = append(b, byte(lit))
		var data []byte
		if f.literal {
			data = literalLZW(f.order(), lit, !f.noEnd)
		} else {
			var buf bytes.Buffer
			w := lzw.NewWriter(&buf, lzw.LSB, lit)
			px := f.order()
			raw := make([]byte, len(px))
			for i, p := range px {
				raw[i] = byte(p)
			}
			w.Write(raw)
			w.Close()
			data = buf.Bytes()
		}
		for len(data) > 0 {
			n := min(255, len(data))
			b = append(b, byte(n))
			b = append(b, data[:n]...)
			data = data[n:]
		}
		b = append(b, 0)
	}
	if !s.noTrailer {
		b = append(b, ';')
	}
	return b
}

// order is the frame's pixels in the order the file holds them.
func (f frameSpec) order() []int {
	if !f.interlaced {
		return f.pixels
	}
	var out []int
	for _, p := range [][2]int{{0, 8}, {4, 8}, {2, 4}, {1, 2}} {
		for y := p[0]; y < f.h; y += p[1] {
			for x := range f.w {
				if i := y*f.w + x; i < len(f.pixels) {
					out = append(out, f.pixels[i])
				}
			}
		}
	}
	return out
}

// literalLZW codes every pixel as a literal, clearing the table before the
// code width would grow: the way to write minimum code sizes compress/lzw
// does not take (0, 1 and 9 to 12).
func literalLZW(px []int, lit int, end bool) []byte {
	clear, width := 1<<lit, lit+1
	var out []byte
	var acc uint64
	var n uint
	put := func(c int) {
		acc |= uint64(c) << n
		n += uint(width)
		for n >= 8 {
			out = append(out, byte(acc))
			acc >>= 8
			n -= 8
		}
	}
	put(clear)
	next := clear + 2
	for i, p := range px {
		if i > 0 {
			// Each code after the first adds a table entry; clear before
			// the entry that would widen the codes.
			if next+1 >= 1<<width {
				put(clear)
				next = clear + 2
				put(p)
				continue
			}
			next++
		}
		put(p)
	}
	if end {
		put(clear + 1)
	}
	if n > 0 {
		out = append(out, byte(acc))
	}
	return out
}
