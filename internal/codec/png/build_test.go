package png_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image/color"
	"math/rand/v2"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/convert"
)

// This file builds PNG files in code, chunk by chunk, for the tests: a
// small encoder of every colour type, bit depth, filter and interlacing,
// independent of the package's decoder.

const sig = "\x89PNG\r\n\x1a\n"

// chunk is a chunk with its length and a correct checksum.
func chunk(typ string, data []byte) []byte {
	return chunkCRC(typ, data, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// chunkCRC is a chunk with the given checksum.
func chunkCRC(typ string, data []byte, crc uint32) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc)
}

// file is the signature followed by the chunks.
func file(chunks ...[]byte) []byte {
	return append([]byte(sig), bytes.Join(chunks, nil)...)
}

func ihdrData(w, h, depth, ctype, interlace int) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(w))
	b = binary.BigEndian.AppendUint32(b, uint32(h))
	return append(b, byte(depth), byte(ctype), 0, 0, byte(interlace))
}

func ihdr(w, h, depth, ctype, interlace int) []byte {
	return chunk("IHDR", ihdrData(w, h, depth, ctype, interlace))
}

func iend() []byte { return chunk("IEND", nil) }

func deflate(raw []byte) []byte {
	var b bytes.Buffer
	z := zlib.NewWriter(&b)
	z.Write(raw)
	z.Close()
	return b.Bytes()
}

// image is a PNG's pixels, as samples.
type image struct {
	w, h, depth, ctype int
	// samples[y][x*channels+c]; palette indices for colour type 3.
	samples [][]uint16
	palette []byte // PLTE's data
}

func channelsOf(ctype int) int {
	return map[int]int{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
}

// randomImage makes an image of random samples; palette images get a
// palette of nPal entries (indices may run past it).
func randomImage(r *rand.Rand, w, h, depth, ctype, nPal int) *image {
	im := &image{w: w, h: h, depth: depth, ctype: ctype}
	n := channelsOf(ctype)
	for range h {
		row := make([]uint16, w*n)
		for i := range row {
			switch r.IntN(4) {
			case 0:
				row[i] = 0
			case 1:
				row[i] = uint16(1<<depth - 1)
			default:
				row[i] = uint16(r.IntN(1 << depth))
			}
		}
		im.samples = append(im.samples, row)
	}
	if ctype == 3 {
		im.palette = make([]byte, 3*nPal)
		for i := range im.palette {
			im.palette[i] = byte(r.IntN(256))
		}
	}
	return im
}

// packRow packs samples at the image's depth, most significant bits first.
func (im *image) packRow(s []uint16) []byte {
	if im.depth == 16 {
		var b []byte
		for _, v := range s {
			b = binary.BigEndian.AppendUint16(b, v)
		}
		return b
	}
	b := make([]byte, (len(s)*im.depth+7)/8)
	for i, v := range s {
		bit := i * im.depth
		b[bit/8] |= byte(v) << (8 - im.depth - bit%8)
	}
	return b
}

// data is the image's filtered rows, Adam7-interlaced or not; filter
// picks each row's filter type from its index in the stream.
func (im *image) data(interlaced bool, filter func(i int) byte) []byte {
	n := channelsOf(im.ctype)
	bpp := max(1, im.depth*n/8)
	var out []byte
	i := 0
	emit := func(rows [][]uint16) {
		var prev []byte
		for _, s := range rows {
			cur := im.packRow(s)
			if prev == nil {
				prev = make([]byte, len(cur))
			}
			ft := filter(i)
			i++
			out = append(out, ft)
			out = append(out, filterRow(ft, cur, prev, bpp)...)
			prev = cur
		}
	}
	if !interlaced {
		emit(im.samples)
		return out
	}
	passes := [7][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}
	for _, p := range passes {
		var rows [][]uint16
		for y := p[1]; y < im.h; y += p[3] {
			var s []uint16
			for x := p[0]; x < im.w; x += p[2] {
				s = append(s, im.samples[y][x*n:(x+1)*n]...)
			}
			if len(s) > 0 {
				rows = append(rows, s)
			}
		}
		emit(rows)
	}
	return out
}

// filterRow applies filter type ft to cur.
func filterRow(ft byte, cur, prev []byte, bpp int) []byte {
	out := make([]byte, len(cur))
	for i := range cur {
		var a, c int
		if i >= bpp {
			a, c = int(cur[i-bpp]), int(prev[i-bpp])
		}
		b := int(prev[i])
		var pred int
		switch ft {
		case 1:
			pred = a
		case 2:
			pred = b
		case 3:
			pred = (a + b) / 2
		case 4:
			p := a + b - c
			pa, pb, pc := abs(p-a), abs(p-b), abs(p-c)
			switch {
			case pa <= pb && pa <= pc:
				pred = a
			case pb <= pc:
				pred = b
			default:
				pred = c
			}
		}
		out[i] = cur[i] - byte(pred)
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// file is the image as a PNG.
func (im *image) file(interlaced bool, filter func(i int) byte) []byte {
	il := 0
	if interlaced {
		il = 1
	}
	chunks := [][]byte{ihdr(im.w, im.h, im.depth, im.ctype, il)}
	if im.ctype == 3 {
		chunks = append(chunks, chunk("PLTE", im.palette))
	}
	chunks = append(chunks, chunk("IDAT", deflate(im.data(interlaced, filter))), iend())
	return file(chunks...)
}

// want is the image converted as Pillow 9.4 converts it: the mode its
// PNG plugin opens it in (grey levels for the modes that dither), then
// package convert's rules for that mode.
func (im *image) want() *bitmap.Bitmap {
	bm, _ := bitmap.New(im.w, im.h)
	n := channelsOf(im.ctype)
	high := func(v uint16) uint8 {
		if im.depth == 16 {
			return uint8(v >> 8)
		}
		return uint8(v)
	}
	var conv *convert.Converter
	switch {
	case im.ctype == 0 && im.depth == 1:
		conv, _ = convert.New(convert.Mode1, im.w, nil)
	case im.ctype == 3:
		var pal []color.RGBA
		for i := 0; i+3 <= len(im.palette); i += 3 {
			pal = append(pal, color.RGBA{im.palette[i], im.palette[i+1], im.palette[i+2], 255})
		}
		conv, _ = convert.New(convert.P, im.w, pal)
	default:
		conv, _ = convert.New(convert.L, im.w, nil)
	}
	for y, s := range im.samples {
		row := make([]byte, im.w)
		for x := range im.w {
			p := s[x*n : (x+1)*n]
			switch im.ctype {
			case 0:
				switch im.depth {
				case 1:
					row[x] = uint8(p[0]) * 255
				case 2:
					row[x] = uint8(p[0]) * 85
				case 4:
					row[x] = uint8(p[0]) * 17
				case 8:
					row[x] = uint8(p[0])
				case 16:
					row[x] = uint8(min(p[0], 255)) // mode I, clipped
				}
			case 3:
				row[x] = uint8(p[0])
			case 4:
				row[x] = high(p[0])
			default:
				row[x] = convert.Luma(high(p[0]), high(p[1]), high(p[2]))
			}
		}
		if im.ctype == 0 && im.depth == 1 {
			packed := make([]byte, bitmap.PackedStride(im.w))
			for x, v := range row {
				if v != 0 {
					packed[x/8] |= 0x80 >> (x % 8)
				}
			}
			row = packed
		}
		conv.Row(bm.Row(y), row)
	}
	return bm
}

// deflater writes a deflate stream by hand, symbol by symbol, in blocks of
// fixed Huffman codes: tests that cut or damage a stream at a chosen bit
// need to know where each symbol lies, whatever compress/flate would write.
type deflater struct {
	out  []byte
	acc  uint64
	nacc uint
}

// bits writes the n low bits of v, first bit first.
func (d *deflater) bits(v uint64, n uint) {
	d.acc |= v << d.nacc
	d.nacc += n
	for d.nacc >= 8 {
		d.out = append(d.out, byte(d.acc))
		d.acc >>= 8
		d.nacc -= 8
	}
}

// code writes an n-bit Huffman code, most significant bit first.
func (d *deflater) code(c uint64, n uint) {
	var r uint64
	for i := range n {
		r |= (c >> i & 1) << (n - 1 - i)
	}
	d.bits(r, n)
}

// block starts a block of fixed codes.
func (d *deflater) block(final bool) {
	f := uint64(0)
	if final {
		f = 1
	}
	d.bits(f|1<<1, 3)
}

// symbol writes a literal/length symbol of the fixed code.
func (d *deflater) symbol(s int) {
	switch {
	case s < 144:
		d.code(uint64(0x30+s), 8)
	case s < 256:
		d.code(uint64(0x190+s-144), 9)
	case s < 280:
		d.code(uint64(s-256), 7)
	default:
		d.code(uint64(0xc0+s-280), 8)
	}
}

func (d *deflater) literals(b []byte) {
	for _, c := range b {
		d.symbol(int(c))
	}
}

// match writes a match of length 3..258 at a distance of 1..32768;
// dcode, when not -1, is written as the distance code instead (30 and 31
// are invalid).
func (d *deflater) match(length, dist, dcode int) {
	lbase := []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	i := len(lbase) - 1
	for lbase[i] > length {
		i--
	}
	d.symbol(257 + i)
	if i > 7 && i < 28 {
		d.bits(uint64(length-lbase[i]), uint(i-4)/4)
	}
	if dcode >= 0 {
		d.code(uint64(dcode), 5)
		return
	}
	dbase := []int{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	j := len(dbase) - 1
	for dbase[j] > dist {
		j--
	}
	d.code(uint64(j), 5)
	if j >= 4 {
		d.bits(uint64(dist-dbase[j]), uint(j-2)/2)
	}
}

// end writes the end of a block.
func (d *deflater) end() { d.symbol(256) }

// bytes is the stream so far, its last byte padded with zeros.
func (d *deflater) bytes() []byte {
	out := d.out
	if d.nacc > 0 {
		out = append(out[:len(out):len(out)], byte(d.acc))
	}
	return out
}
