package tiff

import (
	"encoding/binary"

	"github.com/rlec/rlec/internal/codec/tiff/mode"
	"github.com/rlec/rlec/internal/convert"
)

// unpacker turns a stored row (one slice a plane) into a row of the mode
// Pillow opens the image in, as its unpackers do: grey levels of 2 and 4
// bits scaled to 8, min-is-white grey inverted, samples of 16 bits cut to
// their high byte (colour) or kept whole (grey), premultiplied colour
// divided by its alpha.
type unpacker struct {
	l    *layout
	mode convert.Mode
	row  []byte // the mode row, when it is not the stored row itself
}

func newUnpacker(l *layout) *unpacker {
	u := &unpacker{l: l, mode: l.kind.Mode()}
	u.row = make([]byte, u.mode.RowBytes(l.width))
	return u
}

// unpack converts the stored row of each plane into a row of u.mode.
func (u *unpacker) unpack(planes [][]byte) []byte {
	l, w, out := u.l, u.l.width, u.row
	le := l.order == 'I'
	in := planes[0]
	switch l.kind {
	case mode.Grey:
		if l.bps == 8 && !l.invert {
			return in
		}
		scale := byte(255 / (1<<l.bps - 1))
		var flip byte
		if l.invert {
			flip = 0xff
		}
		for x := range w {
			out[x] = subByte(in, x, l.bps)*scale ^ flip
		}
	case mode.Palette:
		if l.bps == 8 {
			return in
		}
		for x := range w {
			out[x] = subByte(in, x, l.bps)
		}
	case mode.Grey16:
		if le {
			return in
		}
		for x := range w {
			out[2*x], out[2*x+1] = in[2*x+1], in[2*x]
		}
	case mode.Signed16:
		o := l.byteOrder()
		for x := range w {
			binary.LittleEndian.PutUint32(out[4*x:], uint32(int32(int16(o.Uint16(in[2*x:])))))
		}
	case mode.Int32, mode.Float32:
		if le {
			return in
		}
		for x := range w {
			binary.LittleEndian.PutUint32(out[4*x:], binary.BigEndian.Uint32(in[4*x:]))
		}
	case mode.GreyAlpha, mode.PaletteAlpha:
		if !l.planar {
			return in
		}
		for x := range w {
			out[2*x], out[2*x+1] = planes[0][x], planes[1][x]
		}
	case mode.RGB:
		if l.bps == 8 && l.spp == 3 && !l.planar {
			return in
		}
		for x := range w {
			out[3*x], out[3*x+1], out[3*x+2] = u.high(planes, x, 0), u.high(planes, x, 1), u.high(planes, x, 2)
		}
	case mode.RGBPremul:
		for x := range w {
			a := int(u.high(planes, x, 3))
			for s := range 3 {
				c := 0
				if a != 0 {
					c = min(int(u.high(planes, x, s))*255/a, 255)
				}
				out[3*x+s] = byte(c)
			}
		}
	case mode.CMYK:
		if l.bps == 8 && l.spp == 4 && !l.planar {
			return in
		}
		for x := range w {
			for s := range 4 {
				out[4*x+s] = u.high(planes, x, s)
			}
		}
	}
	return out
}

// high is the most significant byte of sample s of pixel x: the sample
// itself at 8 bits, its high byte at 16.
func (u *unpacker) high(planes [][]byte, x, s int) byte {
	l := u.l
	p, i := planes[0], x*l.spp+s
	if l.planar {
		p, i = planes[s], x
	}
	if l.bps == 8 {
		return p[i]
	}
	if l.order == 'M' {
		return p[2*i]
	}
	return p[2*i+1]
}

// subByte is pixel x of a row of bps-bit values (1, 2, 4 or 8), packed
// most significant first.
func subByte(row []byte, x, bps int) byte {
	if bps == 8 {
		return row[x]
	}
	bit := x * bps
	return row[bit/8] >> (8 - bps - bit%8) & byte(1<<bps-1)
}

// byteOrder is the byte order of the file's samples.
func (l *layout) byteOrder() binary.ByteOrder {
	if l.order == 'M' {
		return binary.BigEndian
	}
	return binary.LittleEndian
}
