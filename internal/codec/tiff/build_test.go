package tiff_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/ccitt"
	"github.com/rlec/rlec/internal/codec/tiff/tifftest"
)

// Compressions the test writer knows, by their TIFF numbers, and old-style
// LZW, which has none of its own.
const (
	cNone     = 1
	cG4       = 4
	cLZW      = 5
	cDeflate  = 8
	cPackBits = 32773
	cDeflateZ = 32946
	cLZWOld   = -5
)

// zlibWriters saves making a compressor, a megabyte, for every strip.
var zlibWriters = sync.Pool{New: func() any { return zlib.NewWriter(nil) }}

// spec describes a TIFF for the test writer to build.
type spec struct {
	W, H      int
	BigEndian bool
	BigTIFF   bool
	Photo     int // -1: no PhotometricInterpretation field
	SPP, BPS  int
	Format    int // SampleFormat, 0 for none
	Extra     []int
	Fill2     bool
	Comp      int
	Predictor int
	Planar    bool
	RPS       int // rows per strip, 0 for one strip
	TileW     int // tiles when set
	TileH     int
	ColorMap  []uint16
	// Sample is the stored value of sample s of pixel (x, y).
	Sample func(x, y, s int) uint64
	// NoCounts leaves out the byte counts.
	NoCounts bool
	// Fields are IFD entries to add, or to put in place of the writer's
	// own for the same tag.
	Fields []field
}

type field struct {
	tag, typ uint16
	vals     []uint64
}

// byteOrder reads and appends.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

func (s *spec) order() byteOrder {
	if s.BigEndian {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

func (s *spec) planes() int {
	if s.Planar {
		return s.SPP
	}
	return 1
}

// block returns the stored bytes of the block of plane p whose top left
// pixel is (x0, y0), w×h pixels, compressed.
func (s *spec) block(p, x0, y0, w, h int) []byte {
	spp := s.SPP
	if s.Planar {
		spp = 1
	}
	rowBytes := (w*spp*s.BPS + 7) / 8
	var raw []byte
	for y := y0; y < y0+h; y++ {
		row := make([]byte, rowBytes)
		var vals []uint64
		for x := x0; x < x0+w; x++ {
			for k := range spp {
				smp := k
				if s.Planar {
					smp = p
				}
				v := uint64(0)
				if x < s.W && y < s.H {
					v = s.Sample(x, y, smp)
				}
				vals = append(vals, v)
			}
		}
		s.pack(row, vals)
		s.predict(row, spp)
		raw = append(raw, row...)
	}
	var out []byte
	switch s.Comp {
	case cNone:
		out = raw
	case cPackBits:
		out = tifftest.PackBits(raw, rowBytes)
	case cDeflate, cDeflateZ:
		var b bytes.Buffer
		zw := zlibWriters.Get().(*zlib.Writer)
		zw.Reset(&b)
		zw.Write(raw)
		zw.Close()
		zlibWriters.Put(zw)
		out = b.Bytes()
	case cLZW:
		out = tifftest.LZW(raw, false, 4094)
	case cLZWOld:
		out = tifftest.LZW(raw, true, 4094)
	case cG4:
		var b bytes.Buffer
		enc := ccitt.NewT6Encoder(&b, w)
		words := make([]uint64, bitmap.WordsPerRow(w))
		for r := range h {
			// The coder's white runs are 0 bits as TIFF stores them.
			bitmap.LoadRow(words, raw[r*rowBytes:], w, true)
			if err := enc.WriteRow(words); err != nil {
				panic(err)
			}
		}
		if err := enc.Close(); err != nil {
			panic(err)
		}
		out = b.Bytes()
	default:
		panic("unknown compression")
	}
	if s.Fill2 {
		out = slices.Clone(out)
		for i, c := range out {
			out[i] = bits.Reverse8(c)
		}
	}
	return out
}

// pack stores sample values in a row as the file does.
func (s *spec) pack(row []byte, vals []uint64) {
	o := s.order()
	for i, v := range vals {
		switch s.BPS {
		case 1, 2, 4:
			bit := i * s.BPS
			row[bit/8] |= byte(v) << (8 - s.BPS - bit%8)
		case 8:
			row[i] = byte(v)
		case 16:
			o.PutUint16(row[2*i:], uint16(v))
		case 32:
			o.PutUint32(row[4*i:], uint32(v))
		}
	}
}

// predict applies the predictor to a row, as a writer does.
func (s *spec) predict(row []byte, stride int) {
	o := s.order()
	switch {
	case s.Predictor == 2 && s.BPS == 8:
		for i := len(row) - 1; i >= stride; i-- {
			row[i] -= row[i-stride]
		}
	case s.Predictor == 2 && s.BPS == 16:
		for i := len(row)/2 - 1; i >= stride; i-- {
			o.PutUint16(row[2*i:], o.Uint16(row[2*i:])-o.Uint16(row[2*(i-stride):]))
		}
	case s.Predictor == 2 && s.BPS == 32:
		for i := len(row)/4 - 1; i >= stride; i-- {
			o.PutUint32(row[4*i:], o.Uint32(row[4*i:])-o.Uint32(row[4*(i-stride):]))
		}
	case s.Predictor == 3:
		// Bytes of each value, most significant first, in stretches of the
		// row; then differences of bytes a pixel apart.
		n := len(row) / 4
		tmp := make([]byte, len(row))
		for c := range n {
			v := o.Uint32(row[4*c:])
			for b := range 4 {
				tmp[b*n+c] = byte(v >> (24 - 8*b))
			}
		}
		for i := len(tmp) - 1; i >= stride; i-- {
			tmp[i] -= tmp[i-stride]
		}
		copy(row, tmp)
	}
}

// build writes the TIFF: header, blocks, then the IFD and the values that
// do not fit in it.
func build(s spec) []byte {
	o := s.order()
	var out []byte
	if s.BigEndian {
		out = append(out, 'M', 'M')
	} else {
		out = append(out, 'I', 'I')
	}
	if s.BigTIFF {
		out = o.AppendUint16(out, 43)
		out = o.AppendUint16(out, 8)
		out = o.AppendUint16(out, 0)
		out = o.AppendUint64(out, 0) // IFD offset, set below
	} else {
		out = o.AppendUint16(out, 42)
		out = o.AppendUint32(out, 0)
	}
	var offsets, counts []uint64
	bw, bh := s.W, s.RPS
	if bh == 0 {
		bh = s.H
	}
	if s.TileW > 0 {
		bw, bh = s.TileW, s.TileH
	}
	for p := range s.planes() {
		for y0 := 0; y0 < s.H; y0 += bh {
			for x0 := 0; x0 < s.W; x0 += bw {
				h := bh
				if s.TileW == 0 {
					h = min(bh, s.H-y0)
				}
				b := s.block(p, x0, y0, bw, h)
				offsets = append(offsets, uint64(len(out)))
				counts = append(counts, uint64(len(b)))
				out = append(out, b...)
				if len(out)%2 == 1 {
					out = append(out, 0)
				}
			}
		}
	}
	long := uint16(4)
	if s.BigTIFF {
		long = 16
	}
	fs := []field{
		{256, 4, []uint64{uint64(s.W)}},
		{257, 4, []uint64{uint64(s.H)}},
		{258, 3, slices.Repeat([]uint64{uint64(s.BPS)}, s.SPP)},
		{259, 3, []uint64{uint64(abs(s.Comp))}},
		{277, 3, []uint64{uint64(s.SPP)}},
	}
	if s.Photo >= 0 {
		fs = append(fs, field{262, 3, []uint64{uint64(s.Photo)}})
	}
	if s.Fill2 {
		fs = append(fs, field{266, 3, []uint64{2}})
	}
	if s.Planar {
		fs = append(fs, field{284, 3, []uint64{2}})
	}
	if s.Predictor > 1 {
		fs = append(fs, field{317, 3, []uint64{uint64(s.Predictor)}})
	}
	if s.ColorMap != nil {
		v := make([]uint64, len(s.ColorMap))
		for i, c := range s.ColorMap {
			v[i] = uint64(c)
		}
		fs = append(fs, field{320, 3, v})
	}
	if len(s.Extra) > 0 {
		v := make([]uint64, len(s.Extra))
		for i, e := range s.Extra {
			v[i] = uint64(e)
		}
		fs = append(fs, field{338, 3, v})
	}
	if s.Format != 0 {
		fs = append(fs, field{339, 3, slices.Repeat([]uint64{uint64(s.Format)}, s.SPP)})
	}
	if s.TileW > 0 {
		fs = append(fs, field{322, 4, []uint64{uint64(s.TileW)}}, field{323, 4, []uint64{uint64(s.TileH)}},
			field{324, long, offsets})
		if !s.NoCounts {
			fs = append(fs, field{325, long, counts})
		}
	} else {
		fs = append(fs, field{273, long, offsets}, field{278, 4, []uint64{uint64(bh)}})
		if !s.NoCounts {
			fs = append(fs, field{279, long, counts})
		}
	}
	for _, f := range s.Fields {
		fs = slices.DeleteFunc(fs, func(g field) bool { return g.tag == f.tag })
		fs = append(fs, f)
	}
	slices.SortStableFunc(fs, func(a, b field) int { return int(a.tag) - int(b.tag) })
	return appendIFD(out, o, s.BigTIFF, fs)
}

// appendIFD appends an IFD holding fs to out and points the header at it.
func appendIFD(out []byte, o byteOrder, big bool, fs []field) []byte {
	if len(out)%2 == 1 {
		out = append(out, 0)
	}
	ifdOff := uint64(len(out))
	countSize, entrySize, inline := 2, 12, 4
	if big {
		countSize, entrySize, inline = 8, 20, 8
		o.PutUint64(out[8:], ifdOff)
	} else {
		o.PutUint32(out[4:], uint32(ifdOff))
	}
	extra := ifdOff + uint64(countSize+entrySize*len(fs)+inline)
	var ifd, vals []byte
	if big {
		ifd = o.AppendUint64(ifd, uint64(len(fs)))
	} else {
		ifd = o.AppendUint16(ifd, uint16(len(fs)))
	}
	for _, f := range fs {
		var data []byte
		for _, v := range f.vals {
			switch f.typ {
			case 1, 2, 6, 7:
				data = append(data, byte(v))
			case 3, 8:
				data = o.AppendUint16(data, uint16(v))
			case 4, 9, 13:
				data = o.AppendUint32(data, uint32(v))
			default:
				data = o.AppendUint64(data, v)
			}
		}
		ifd = o.AppendUint16(ifd, f.tag)
		ifd = o.AppendUint16(ifd, f.typ)
		if big {
			ifd = o.AppendUint64(ifd, uint64(len(f.vals)))
		} else {
			ifd = o.AppendUint32(ifd, uint32(len(f.vals)))
		}
		if len(data) <= inline {
			ifd = append(ifd, data...)
			ifd = append(ifd, make([]byte, inline-len(data))...)
			continue
		}
		off := extra + uint64(len(vals))
		if big {
			ifd = o.AppendUint64(ifd, off)
		} else {
			ifd = o.AppendUint32(ifd, uint32(off))
		}
		vals = append(vals, data...)
		if len(vals)%2 == 1 {
			vals = append(vals, 0)
		}
	}
	ifd = append(ifd, make([]byte, inline)...) // no next IFD
	out = append(out, ifd...)
	return append(out, vals...)
}

func abs(x int) int { return max(x, -x) }
