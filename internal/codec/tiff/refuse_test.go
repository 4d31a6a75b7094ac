package tiff_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec/tiff"
	"github.com/rlec/rlec/internal/codec/tiff/tifftest"
	"github.com/rlec/rlec/internal/testkit"
)

// readFirstRows opens data and reads its first rows into a small band, the
// way rlec starts reading an image, without allocating a whole bitmap for
// what the file claims.
func readFirstRows(data []byte) error {
	img, err := tiff.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	w, h := img.Size()
	band, err := bitmap.New(w, min(h, 16))
	if err != nil {
		return err
	}
	for y := 0; y < h; y += band.Height {
		b := band.Band(0, min(band.Height, h-y))
		if err := img.ReadRows(b); err != nil {
			return err
		}
	}
	return nil
}

func small(mod func(*spec)) []byte {
	s := spec{W: 24, H: 10, Photo: 1, SPP: 1, BPS: 8, Comp: cNone, Sample: noise(1, 8)}
	mod(&s)
	return build(s)
}

func u16(tag uint16, v ...uint64) field { return field{tag, 3, v} }
func u32(tag uint16, v ...uint64) field { return field{tag, 4, v} }

// zlibOf compresses n zero bytes.
func zlibOf(n int) []byte {
	var b bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&b, zlib.DefaultCompression)
	zero := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, len(zero))
		zw.Write(zero[:k])
		n -= k
	}
	zw.Close()
	return b.Bytes()
}

// TestRefusals: damaged, hostile and unsupported files are refused with a
// clear message, or read with little memory and time.
func TestRefusals(t *testing.T) {
	valid := small(func(*spec) {})
	patch := func(off int, b ...byte) []byte {
		d := bytes.Clone(valid)
		copy(d[off:], b)
		return d
	}
	huge := func(comp int, bps int) []byte {
		return small(func(s *spec) {
			s.Comp, s.BPS, s.Sample = comp, bps, noise(2, bps)
			s.Fields = []field{u32(256, 65535), u32(257, 65535), u32(278, 65535)}
		})
	}
	// A strip whose LZW data goes on for 1 MB past the strip's 240 bytes.
	long := spec{W: 1 << 12, H: 1 << 12, SPP: 1, BPS: 8, Comp: cNone, Sample: noise(5, 8)}
	endless := replaceStrip(small(func(s *spec) { s.Comp = cLZW }), tifftest.LZW(long.block(0, 0, 0, 1<<12, 1<<8), false, 4094))
	// A Deflate strip that inflates to 20 MB, for an image of 240 bytes.
	bomb := replaceStrip(small(func(s *spec) { s.Comp = cDeflate }), zlibOf(20<<20))
	// 65536 tiles of 256x256, each of two bytes of Deflate data.
	manyTiles := small(func(s *spec) {
		s.Comp, s.TileW, s.TileH = cDeflate, 256, 256
		offsets, counts := make([]uint64, 1<<16), make([]uint64, 1<<16)
		for i := range offsets {
			offsets[i], counts[i] = 8, 2
		}
		s.Fields = []field{u32(256, 65535), u32(257, 65535), {324, 4, offsets}, {325, 4, counts}}
	})
	// StripOffsets claims 2^32-1 values.
	absurd := bytes.Clone(valid)
	{
		ifd := binary.LittleEndian.Uint32(absurd[4:])
		n := int(binary.LittleEndian.Uint16(absurd[ifd:]))
		for i := range n {
			if e := absurd[int(ifd)+2+12*i:]; binary.LittleEndian.Uint16(e) == 273 {
				binary.LittleEndian.PutUint32(e[4:], 1<<32-1)
			}
		}
	}
	loop := bytes.Clone(valid)
	{
		// The first IFD's next-IFD offset points back at itself.
		ifd := binary.LittleEndian.Uint32(loop[4:])
		n := binary.LittleEndian.Uint16(loop[ifd:])
		binary.LittleEndian.PutUint32(loop[int(ifd)+2+12*int(n):], ifd)
	}
	tests := []struct {
		name string
		data []byte
		want string // "" for a file that reads
	}{
		{"empty", nil, "truncated"},
		{"not a TIFF", []byte("GIF89a, not a TIFF at all"), "not a TIFF"},
		{"bad version", patch(2, 41, 0), "version"},
		{"IFD past the end", patch(4, 0xff, 0xff, 0xff, 0), "outside the file"},
		{"IFD with no entries", patch(len(valid)-2-12*9-4, 0, 0), "no ImageWidth"},
		{"too wide for .rle", small(func(s *spec) { s.Fields = []field{u32(256, 70000)} }), "65535"},
		{"no width", small(func(s *spec) { s.Fields = []field{u32(256)} }), "ImageWidth"},
		{"zero height", small(func(s *spec) { s.Fields = []field{u32(257, 0)} }), "no pixels"},
		{"huge claim, uncompressed", huge(cNone, 1), "past the end"},
		{"huge claim, LZW", huge(cLZW, 8), "ends early"},
		{"huge claim, Deflate", huge(cDeflate, 1), "ends early"},
		{"huge claim, PackBits", huge(cPackBits, 1), "ends early"},
		{"huge claim, G4", huge(cG4, 1), "strip 0"},
		{"huge claim, too few tiles", small(func(s *spec) {
			s.Comp, s.TileW, s.TileH = cDeflate, 256, 256
			s.Fields = []field{u32(256, 65535), u32(257, 65535), u32(324, 1<<16), u32(325, 1)}
		}), "entries"},
		{"huge claim, tiles", manyTiles, "tile 0"},
		{"huge tiles", small(func(s *spec) {
			s.TileW, s.TileH = 16, 16
			s.Fields = []field{u32(322, 32768), u32(323, 65536), u32(256, 65535), u32(257, 65535)}
		}), "MiB"},
		{"strip byte counts past the end", small(func(s *spec) {
			s.Comp = cLZW
			s.Fields = []field{u32(279, 1<<30)}
		}), "past the end of the file"},
		{"strip byte count 0", small(func(s *spec) {
			s.Comp, s.RPS = cLZW, 2
			s.Fields = []field{{279, 4, make([]uint64, 5)}}
		}), "byte count 0"},
		{"single strip of byte count 0", small(func(s *spec) { s.Comp = cLZW; s.Fields = []field{u32(279, 0)} }), ""},
		{"single strip without byte count", small(func(s *spec) { s.Comp, s.NoCounts = cDeflate, true }), ""},
		{"strips without byte counts", small(func(s *spec) { s.Comp, s.NoCounts, s.RPS = cDeflate, true, 3 }), "without StripByteCounts"},
		{"too few strip offsets", small(func(s *spec) { s.RPS = 2; s.Fields = []field{u32(273, 8)} }), "entries"},
		{"absurd StripOffsets count", absurd, "StripOffsets"},
		{"LZW strip that never ends", endless, ""},
		{"Deflate bomb", bomb, ""},
		{"IFD loop", loop, ""},
		{"RowsPerStrip 0", small(func(s *spec) { s.Fields = []field{u32(278, 0)} }), "RowsPerStrip"},
		{"big-endian min-is-white 16-bit", small(func(s *spec) { s.BigEndian, s.Photo, s.BPS = true, 0, 16 }), "refuses"},
		{"12-bit grey", small(func(s *spec) { s.Fields = []field{u16(258, 12)} }), "12-bit"},
		{"3-bit grey", small(func(s *spec) { s.Fields = []field{u16(258, 3)} }), "does not read it either"},
		{"mixed sample sizes", small(func(s *spec) {
			s.Photo, s.SPP = 2, 3
			s.Fields = []field{u16(258, 8, 8, 4)}
		}), "different sizes"},
		{"JPEG", small(func(s *spec) { s.Fields = []field{u16(259, 7)} }), "JPEG-compressed TIFF is not read yet"},
		{"JPEG in YCbCr", small(func(s *spec) { s.Photo, s.SPP, s.Fields = 6, 3, []field{u16(259, 7)} }), "JPEG-compressed TIFF is not read yet"},
		{"old-style JPEG", small(func(s *spec) { s.Fields = []field{u16(259, 6)} }), "JPEG-compressed TIFF is not read yet"},
		{"unknown compression", small(func(s *spec) { s.Fields = []field{u16(259, 12345)} }), "unknown compression"},
		{"LZMA", small(func(s *spec) { s.Fields = []field{u16(259, 34925)} }), "LZMA"},
		{"flipped image", small(func(s *spec) { s.Fields = []field{u16(274, 3)} }), "orientation"},
		{"YCbCr", small(func(s *spec) { s.Photo, s.SPP = 6, 3 }), "YCbCr"},
		{"palette without colour map", small(func(s *spec) { s.Photo = 3 }), "ColorMap"},
		{"short colour map", small(func(s *spec) { s.Photo, s.ColorMap = 3, make([]uint16, 30) }), "ColorMap"},
		{"predictor on 1-bit samples", small(func(s *spec) {
			s.BPS, s.Comp, s.Sample = 1, cLZW, noise(1, 1)
			s.Fields = []field{u16(317, 2)}
		}), "predictor"},
		{"unknown predictor", small(func(s *spec) { s.Comp = cLZW; s.Fields = []field{u16(317, 9)} }), "predictor"},
		{"G4 of 8-bit samples", small(func(s *spec) { s.Fields = []field{u16(259, 4)} }), "1-bit"},
		{"too many samples", small(func(s *spec) { s.Fields = []field{u16(277, 9)} }), "samples per pixel"},
		{"LZW without a clear code", replaceStrip(small(func(s *spec) { s.Comp = cLZW }), []byte{0x10, 0x20, 0x30, 0x40}), "clear code"},
		{"corrupt Deflate", replaceStrip(small(func(s *spec) { s.Comp = cDeflate }), []byte{0x78, 0x9c, 0xff, 0xff, 0xff}), "Deflate"},
		{"Windows Media Photo", small(func(s *spec) { s.Fields = []field{u16(0xbc01, 1)} }), "Windows Media Photo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			start := time.Now()
			grew := testkit.Allocated(func() { err = readFirstRows(tt.data) })
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("got error %v, want the image read", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("got error %v, want one mentioning %q", err, tt.want)
			}
			if grew > 4<<20 {
				t.Errorf("reading a %d-byte file allocated %d bytes", len(tt.data), grew)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("reading a %d-byte file took %v", len(tt.data), d)
			}
		})
	}
}

// replaceStrip puts data in place of the only strip of a file made by
// build, at the end of the file, and points the strip's fields at it.
func replaceStrip(file, data []byte) []byte {
	out := bytes.Clone(file)
	off := len(out)
	out = append(out, data...)
	ifd := binary.LittleEndian.Uint32(out[4:])
	n := int(binary.LittleEndian.Uint16(out[ifd:]))
	for i := range n {
		e := out[int(ifd)+2+12*i:]
		switch binary.LittleEndian.Uint16(e) {
		case 273:
			binary.LittleEndian.PutUint32(e[8:], uint32(off))
		case 279:
			binary.LittleEndian.PutUint32(e[8:], uint32(len(data)))
		}
	}
	return out
}
