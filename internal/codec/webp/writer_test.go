package webp_test

import (
	"encoding/binary"
	"image"
	"math/bits"
)

// bitWriter writes VP8L's bit stream: least significant bit first.
type bitWriter struct {
	out  []byte
	acc  uint64
	nacc uint
}

func (w *bitWriter) put(v uint64, n uint) {
	w.acc |= v << w.nacc
	w.nacc += n
	for w.nacc >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
}

func (w *bitWriter) bytes() []byte {
	if w.nacc > 0 {
		w.out = append(w.out, byte(w.acc))
		w.acc, w.nacc = 0, 0
	}
	return w.out
}

// putFlatCode writes a prefix code giving each of the first 256 symbols of
// an alphabet of size symbols an 8-bit code (and the others none): a
// normal code whose code-length code has two symbols, 0 and 8, of one bit.
func (w *bitWriter) putFlatCode(size int) {
	w.put(0, 1) // normal
	w.put(12-4, 4)
	// Code-length code lengths in the order 17, 18, 0, 1, 2, 3, 4, 5, 16,
	// 6, 7, 8: only 0 and 8 have a code.
	for _, l := range []uint64{0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1} {
		w.put(l, 3)
	}
	w.put(0, 1) // every symbol's length follows
	for s := range size {
		if s < 256 {
			w.put(1, 1) // length 8
		} else {
			w.put(0, 1) // length 0
		}
	}
}

// putSymbol writes symbol s of a flat code: its 8-bit code, most
// significant bit first.
func (w *bitWriter) putSymbol(s uint8) { w.put(uint64(bits.Reverse8(s)), 8) }

// putOneSymbol writes a simple prefix code of the one symbol s, which
// then costs no bits.
func (w *bitWriter) putOneSymbol(s uint8) {
	w.put(1, 1) // simple
	w.put(0, 1) // one symbol
	w.put(1, 1) // of 8 bits
	w.put(uint64(s), 8)
}

// vp8l encodes m as a VP8L bitstream with no transform and no colour
// cache, every sample coded in 8 bits (alpha in none when the image is
// opaque): what the decoder reads, not what an encoder would write.
func vp8l(m *image.NRGBA) []byte {
	b := m.Bounds()
	w := &bitWriter{}
	w.put(0x2f, 8)
	w.put(uint64(b.Dx()-1), 14)
	w.put(uint64(b.Dy()-1), 14)
	opaque := m.Opaque()
	if opaque {
		w.put(0, 1)
	} else {
		w.put(1, 1)
	}
	w.put(0, 3) // version
	w.put(0, 1) // no transform
	w.put(0, 1) // no colour cache
	w.put(0, 1) // no meta prefix codes
	w.putFlatCode(256 + 24)
	w.putFlatCode(256)
	w.putFlatCode(256)
	if opaque {
		w.putOneSymbol(0xff)
	} else {
		w.putFlatCode(256)
	}
	w.putOneSymbol(0) // distances, never used
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			p := m.Pix[m.PixOffset(x, y):]
			w.putSymbol(p[1])
			w.putSymbol(p[0])
			w.putSymbol(p[2])
			if !opaque {
				w.putSymbol(p[3])
			}
		}
	}
	return w.bytes()
}

// riffChunk is a chunk: its FourCC, size and data, padded to an even size.
func riffChunk(id string, data []byte) []byte {
	b := append([]byte(id), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(data)))
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// riff wraps chunks in a RIFF WEBP file.
func riff(chunks ...[]byte) []byte {
	b := []byte("RIFF\x00\x00\x00\x00WEBP")
	for _, c := range chunks {
		b = append(b, c...)
	}
	binary.LittleEndian.PutUint32(b[4:], uint32(len(b)-8))
	return b
}

// vp8x is a VP8X chunk of a width×height canvas with the given flags.
func vp8x(flags byte, width, height int) []byte {
	d := make([]byte, 10)
	d[0] = flags
	d[4], d[5], d[6] = byte(width-1), byte((width-1)>>8), byte((width-1)>>16)
	d[7], d[8], d[9] = byte(height-1), byte((height-1)>>8), byte((height-1)>>16)
	return riffChunk("VP8X", d)
}
