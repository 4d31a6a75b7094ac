package png_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/adler32"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
)

// pillowCase is a file and what the reference does with it: refuses it
// (want nil), or reads it to want.
type pillowCase struct {
	name string
	data []byte
	want *bitmap.Bitmap
}

// pillowCases are files that are damaged, unusual or out of order, each
// with what Pillow 9.4 does with it (found by running it on each).
var pillowCases = sync.OnceValue(makePillowCases)

func makePillowCases() []pillowCase {
	r := rand.New(rand.NewPCG(7, 8))
	const w, h = 13, 7
	base := randomImage(r, w, h, 8, 0, 0)
	raw := base.data(false, func(int) byte { return 0 })
	z := deflate(raw)
	hdr, idat, end := ihdr(w, h, 8, 0, 0), chunk("IDAT", z), iend()
	ok := base.want()
	cases := []pillowCase{
		{"ok", file(hdr, idat, end), ok},

		// Checksums are checked before the image data, not after it.
		{"bad IHDR checksum", file(chunkCRC("IHDR", ihdrData(w, h, 8, 0, 0), 1), idat, end), nil},
		{"bad tEXt checksum before", file(hdr, chunkCRC("tEXt", []byte("a\x00b"), 5), idat, end), nil},
		{"bad IDAT checksum", file(hdr, chunkCRC("IDAT", z, 1), end), ok},
		{"bad tEXt checksum after", file(hdr, idat, chunkCRC("tEXt", []byte("a\x00b"), 5), end), ok},
		{"bad IEND checksum", file(hdr, idat, chunkCRC("IEND", nil, 5)), ok},

		// The end of the file.
		{"no IEND", file(hdr, idat), ok},
		{"no IEND, half a checksum", file(hdr, idat)[:len(file(hdr, idat))-2], ok},
		{"no IDAT checksum", file(hdr, idat)[:len(file(hdr, idat))-4], ok},
		{"IDAT cut short", file(hdr, idat)[:len(file(hdr, idat))-20], nil},
		{"junk after IEND", append(file(hdr, idat, end), "junkjunkjunk"...), ok},
		{"a chunk after the image cut short", append(file(hdr, idat), "\x00\x00\x00\x64tEXtabc"...), nil},
		{"a bad chunk type after the image", file(hdr, idat, chunk("t#Xt", []byte("abc"))), ok},
		{"huge chunk length before the image", append(file(hdr), "\xff\xff\xff\xfftEXtabc"...), nil},

		// The image data, split and padded.
		{"split IDAT", file(hdr, chunk("IDAT", z[:10]), chunk("IDAT", z[10:]), end), ok},
		{"empty first IDAT", file(hdr, chunk("IDAT", nil), idat, end), ok},
		{"empty middle IDAT", file(hdr, chunk("IDAT", z[:10]), chunk("IDAT", nil), chunk("IDAT", z[10:]), end), ok},
		{"DDAT goes on", file(hdr, chunk("IDAT", z[:10]), chunk("DDAT", z[10:]), end), ok},
		{"tEXt between IDATs", file(hdr, chunk("IDAT", z[:10]), chunk("tEXt", []byte("a\x00b")), chunk("IDAT", z[10:]), end), nil},
		{"garbage after the zlib stream", file(hdr, chunk("IDAT", append(z[:len(z):len(z)], "garbagegarbage"...)), end), ok},
		{"a garbage IDAT after", file(hdr, idat, chunk("IDAT", []byte("garbage")), end), ok},
		{"bad checksum of the zlib stream", file(hdr, chunk("IDAT", append(z[:len(z)-4:len(z)-4], 0, 0, 0, 0)), end), nil},
		{"bad zlib checksum in the next IDAT", file(hdr, chunk("IDAT", z[:len(z)-4]), chunk("IDAT", []byte{0, 0, 0, 0}), end), ok},
		{"no zlib checksum", file(hdr, chunk("IDAT", z[:len(z)-4]), end), ok},
		{"not zlib", file(hdr, chunk("IDAT", raw), end), nil},
	}

	// A zlib stream that ends on a row boundary: the rows after it are
	// zero, if zlib sees the end in the block that completes the row.
	short := deflate(raw[:(w+1)*3])
	zeroRows := *base
	zeroRows.samples = append(append([][]uint16{}, base.samples[:3]...), make([][]uint16, h-3)...)
	for y := 3; y < h; y++ {
		zeroRows.samples[y] = make([]uint16, w)
	}
	cases = append(cases,
		pillowCase{"stream ends on a row boundary", file(hdr, chunk("IDAT", short), end), zeroRows.want()},
		pillowCase{"stream ends on a row boundary, checksum in the next IDAT", file(hdr, chunk("IDAT", short[:len(short)-4]), chunk("IDAT", short[len(short)-4:]), end), nil},
		pillowCase{"stream ends inside a row", file(hdr, chunk("IDAT", deflate(raw[:(w+1)*3+5])), end), nil},
		pillowCase{"empty stream", file(hdr, chunk("IDAT", deflate(nil)), end), nil},
	)
	badFilter := bytes.Clone(raw)
	badFilter[(w+1)*2] = 5
	cases = append(cases, pillowCase{"filter type 5", file(hdr, chunk("IDAT", deflate(badFilter)), end), nil})

	// Chunk order and names.
	cases = append(cases,
		pillowCase{"bad chunk type before the image", file(hdr, chunk("t#Xt", []byte("abc")), idat, end), nil},
		pillowCase{"digit in a chunk type", file(hdr, chunk("t1Xt", []byte("abc")), idat, end), ok},
		pillowCase{"unknown critical chunk", file(hdr, chunk("XXXX", []byte("abc")), idat, end), ok},
		pillowCase{"tEXt before IHDR", file(chunk("tEXt", []byte("a\x00b")), hdr, idat, end), ok},
		pillowCase{"IDAT before IHDR", file(idat, hdr, idat, end), ok},
		pillowCase{"IEND before IDAT", file(hdr, end, idat), nil},
		pillowCase{"no IDAT", file(hdr, end), nil},
		pillowCase{"no IHDR", file(idat, end), nil},
		pillowCase{"two IHDRs", file(ihdr(5, 5, 8, 0, 0), hdr, idat, end), ok},
		pillowCase{"no signature", file(hdr, idat, end)[1:], nil},
		pillowCase{"empty file", nil, nil},
	)

	// IHDR.
	cases = append(cases,
		pillowCase{"IHDR of 12 bytes", file(chunk("IHDR", ihdrData(w, h, 8, 0, 0)[:12]), idat, end), nil},
		pillowCase{"IHDR of 14 bytes", file(chunk("IHDR", append(ihdrData(w, h, 8, 0, 0), 0)), idat, end), ok},
		pillowCase{"compression method 1", file(chunk("IHDR", func() []byte { b := ihdrData(w, h, 8, 0, 0); b[10] = 1; return b }()), idat, end), ok},
		pillowCase{"filter method 1", file(chunk("IHDR", func() []byte { b := ihdrData(w, h, 8, 0, 0); b[11] = 1; return b }()), idat, end), nil},
		pillowCase{"interlace method 2 is Adam7", file(ihdr(w, h, 8, 0, 2), chunk("IDAT", deflate(base.data(true, func(int) byte { return 0 }))), end), ok},
		pillowCase{"bit depth 3", file(ihdr(w, h, 3, 0, 0), idat, end), nil},
		pillowCase{"colour type 1", file(ihdr(w, h, 8, 1, 0), idat, end), nil},
		pillowCase{"width 0", file(ihdr(0, h, 8, 0, 0), idat, end), nil},
		pillowCase{"65535x65535 with no data for it", file(ihdr(65535, 65535, 8, 0, 0), idat, end), nil},
		pillowCase{"70000x2", file(ihdr(70000, 2, 8, 0, 0), idat, end), nil},
	)

	// What the ancillary chunks' handlers refuse.
	for _, c := range []struct {
		name string
		ch   []byte
		ok   bool
	}{
		{"gAMA of 2 bytes", chunk("gAMA", []byte{0, 0}), false},
		{"gAMA", chunk("gAMA", []byte{0, 0, 0, 1}), true},
		{"cHRM of 5 bytes", chunk("cHRM", make([]byte, 5)), false},
		{"cHRM of 8 bytes", chunk("cHRM", make([]byte, 8)), true},
		{"pHYs of 8 bytes", chunk("pHYs", make([]byte, 8)), false},
		{"sRGB of 0 bytes", chunk("sRGB", nil), false},
		{"tRNS of 1 byte on grey", chunk("tRNS", []byte{0}), false},
		{"tRNS of 2 bytes on grey", chunk("tRNS", []byte{0, 0}), true},
		{"zTXt method 1", chunk("zTXt", []byte("k\x00\x01abc")), false},
		{"zTXt broken", chunk("zTXt", []byte("k\x00\x00abc")), true},
		{"zTXt of 1 MiB", chunk("zTXt", append([]byte("k\x00\x00"), deflate(make([]byte, 1<<20))...)), true},
		{"zTXt over 1 MiB", chunk("zTXt", append([]byte("k\x00\x00"), deflate(make([]byte, 1<<20+1))...)), false},
		{"zTXt over 1 MiB, no keyword", chunk("zTXt", append([]byte("\x00\x00"), deflate(make([]byte, 1<<20+1))...)), false},
		{"iTXt over 1 MiB", chunk("iTXt", append([]byte("k\x00\x01\x00\x00\x00"), deflate(make([]byte, 1<<20+1))...)), false},
		{"iTXt over 1 MiB, method 1", chunk("iTXt", append([]byte("k\x00\x01\x01\x00\x00"), deflate(make([]byte, 1<<20+1))...)), true},
		{"iTXt", chunk("iTXt", []byte("k\x00\x00\x00en\x00t\x00text")), true},
		{"iCCP empty", chunk("iCCP", nil), false},
		{"iCCP with no NUL", chunk("iCCP", []byte("abc")), false},
		{"iCCP with no NUL, ending in one", chunk("iCCP", []byte("ab\x00")), true},
		{"iCCP method 1", chunk("iCCP", []byte("ab\x00\x01xx")), true},
		{"iCCP broken", chunk("iCCP", []byte("ab\x00\x00xx")), true},
		{"iCCP over 1 MiB", chunk("iCCP", append([]byte("ab\x00\x00"), deflate(make([]byte, 1<<20+1))...)), false},
		{"acTL of 7 bytes", chunk("acTL", make([]byte, 7)), false},
		{"fcTL of 25 bytes", chunk("fcTL", make([]byte, 25)), false},
		{"fdAT with no frame control", chunk("fdAT", []byte{0, 0, 0, 0, 1}), false},
		{"fdAT of 3 bytes", chunk("fdAT", []byte{0, 0, 0}), false},
	} {
		want := ok
		if !c.ok {
			want = nil
		}
		cases = append(cases, pillowCase{c.name + " before the image", file(hdr, c.ch, idat, end), want})
		if !strings.HasPrefix(c.name, "fdAT") {
			cases = append(cases, pillowCase{c.name + " after the image", file(hdr, idat, c.ch, end), want})
		}
	}

	cut, _ := cutAtTheEnd()
	cases = append(cases, cut)
	cases = append(cases, zlibEndCases()...)
	cases = append(cases, paletteCases(r)...)
	cases = append(cases, apngCases()...)
	return cases
}

// paletteCases are palettes of odd sizes, in odd places.
func paletteCases(r *rand.Rand) []pillowCase {
	const w, h = 13, 7
	im := randomImage(r, w, h, 8, 3, 256)
	pal := im.palette
	hdr, idat, end := ihdr(w, h, 8, 3, 0), chunk("IDAT", deflate(im.data(false, func(int) byte { return 0 }))), iend()
	with := func(p []byte) *bitmap.Bitmap {
		c := *im
		c.palette = p[:len(p)/3*3]
		return c.want()
	}
	reversed := bytes.Clone(pal)
	for i, j := 0, len(reversed)-1; i < j; i, j = i+1, j-1 {
		reversed[i], reversed[j] = reversed[j], reversed[i]
	}
	long := append(bytes.Clone(pal), pal[:3]...)
	return []pillowCase{
		{"palette", file(hdr, chunk("PLTE", pal), idat, end), with(pal)},
		{"no palette", file(hdr, idat, end), with(nil)},
		{"empty palette", file(hdr, chunk("PLTE", nil), idat, end), with(nil)},
		{"palette of 7 bytes", file(hdr, chunk("PLTE", pal[:7]), idat, end), with(pal[:7])},
		{"palette of 770 bytes", file(hdr, chunk("PLTE", long[:770]), idat, end), with(long[:768])},
		{"palette of 771 bytes", file(hdr, chunk("PLTE", long), idat, end), nil},
		{"two palettes", file(hdr, chunk("PLTE", pal), chunk("PLTE", reversed), idat, end), with(reversed)},
		{"palette after the image data", file(hdr, idat, chunk("PLTE", pal), end), with(nil)},
		{"palette before IHDR", file(chunk("PLTE", pal), hdr, idat, end), with(nil)},
		{"tRNS of 0 bytes on a palette", file(hdr, chunk("PLTE", pal), chunk("tRNS", nil), idat, end), with(pal)},
		{"palette index past a short palette", file(ihdr(4, 1, 8, 3, 0), chunk("PLTE", []byte{0, 0, 0, 255, 255}), chunk("IDAT", deflate([]byte{0, 1, 1, 200, 100})), end),
			bits(4, 1, "..#.")},
	}
}

// apngCases are animated PNGs: the first frame is what counts.
func apngCases() []pillowCase {
	const W, H = 10, 6
	fctl := func(seq, w, h, x, y int) []byte {
		b := make([]byte, 26)
		for i, v := range []int{seq, w, h, x, y} {
			binary.BigEndian.PutUint32(b[4*i:], uint32(v))
		}
		binary.BigEndian.PutUint16(b[20:], 1)
		binary.BigEndian.PutUint16(b[22:], 10)
		return chunk("fcTL", b)
	}
	acTL := func(n int) []byte {
		b := binary.BigEndian.AppendUint32(nil, uint32(n))
		return chunk("acTL", binary.BigEndian.AppendUint32(b, 0))
	}
	white := func(w, h int) []byte { return bytes.Repeat(append([]byte{0}, bytes.Repeat([]byte{255}, w)...), h) }
	sub := deflate(white(4, 3))
	full := deflate(white(W, H))
	hdr, end := ihdr(W, H, 8, 0, 0), iend()
	placed := bits(W, H, ".......... .......... ...####... ...####... ...####... ..........")
	corner := bits(W, H, "####...... ####...... ####...... .......... .......... ..........")
	oneBit := deflate(bytes.Repeat([]byte{0, 0xf0}, 3))
	subIm := &image{w: 4, h: 3, depth: 8, ctype: 0, samples: [][]uint16{{255, 255, 255, 255}, {255, 255, 255, 255}, {255, 255, 255, 255}}}
	return []pillowCase{
		{"APNG first frame smaller", file(hdr, acTL(1), fctl(0, 4, 3, 3, 2), chunk("IDAT", sub), end), placed},
		{"frame control with no acTL", file(hdr, fctl(0, 4, 3, 3, 2), chunk("IDAT", sub), end), placed},
		{"1-bit APNG frame smaller", file(ihdr(W, H, 1, 0, 0), acTL(1), fctl(0, 4, 3, 3, 2), chunk("IDAT", oneBit), end), placed},
		{"interlaced APNG frame smaller, at the corner", file(ihdr(W, H, 8, 0, 1), acTL(1), fctl(0, 4, 3, 3, 2), chunk("IDAT", deflate(subIm.data(true, func(int) byte { return 0 }))), end), corner},
		{"APNG frame outside the image", file(hdr, acTL(1), fctl(0, 4, 3, 7, 2), chunk("IDAT", sub), end), nil},
		{"APNG first sequence number 1", file(hdr, acTL(1), fctl(1, 4, 3, 3, 2), chunk("IDAT", sub), end), nil},
		{"empty APNG frame", file(hdr, acTL(1), fctl(0, 0, 3, 3, 2), chunk("IDAT", sub), end), nil},
		{"two frame controls", file(hdr, acTL(1), fctl(0, 2, 2, 0, 0), fctl(1, 4, 3, 3, 2), chunk("IDAT", sub), end), placed},
		{"APNG default image", file(hdr, acTL(1), chunk("IDAT", full), fctl(0, 4, 3, 3, 2), chunk("fdAT", append([]byte{0, 0, 0, 1}, sub...)), end), bits(W, H, strings.Repeat("##########", H))},
		{"APNG of 0 frames", file(hdr, acTL(0), fctl(0, 4, 3, 3, 2), chunk("IDAT", sub), end), placed},
		{"frame control before IHDR", file(fctl(0, 4, 3, 3, 2), hdr, chunk("IDAT", sub), end), nil},
		{"fdAT first", file(hdr, acTL(1), fctl(0, 4, 3, 3, 2), chunk("fdAT", append([]byte{0, 0, 0, 1}, sub...)), end), placed},
		{"fdAT goes on from IDAT", file(hdr, acTL(1), fctl(0, 4, 3, 3, 2), chunk("IDAT", sub[:5]), chunk("fdAT", append([]byte{0, 0, 0, 1}, sub[5:]...)), end), placed},
		{"fdAT out of sequence", file(hdr, acTL(1), fctl(0, 4, 3, 3, 2), chunk("IDAT", sub[:5]), chunk("fdAT", append([]byte{0, 0, 0, 2}, sub[5:]...)), end), nil},
	}
}

// bits makes a bitmap from rows of '#' (white) and '.' (black); spaces
// are ignored.
func bits(w, h int, s string) *bitmap.Bitmap {
	bm, _ := bitmap.New(w, h)
	s = strings.ReplaceAll(s, " ", "")
	for i, c := range s {
		if c == '#' {
			bm.Set(i%w, i/w, true)
		}
	}
	return bm
}

// TestPillowCases: damaged and unusual files are refused where the
// reference refuses them, and read to the reference's pixels where it
// reads them.
func TestPillowCases(t *testing.T) {
	for i, c := range pillowCases() {
		t.Run(c.name, func(t *testing.T) {
			bm, err := decode(c.data)
			dump(t, "case"+string(rune('a'+i/26))+string(rune('a'+i%26)), c.data, bm, err)
			switch {
			case c.want == nil && err == nil:
				t.Fatal("read, where the reference refuses the file")
			case c.want == nil:
				t.Logf("refused: %v", err)
			case err != nil:
				t.Fatalf("refused, where the reference reads the file: %v", err)
			case !bm.Equal(c.want):
				t.Fatal("pixels differ from the reference's")
			}
		})
	}
}

// cutAtTheEnd is an image whose data is cut 9 bytes before its end: the
// checksum and the last few symbols' bits. zlib decodes the last row from
// what is left, and so Pillow reads the image; compress/flate alone does
// not (it also returns the stream's data, for the test that says so).
func cutAtTheEnd() (pillowCase, []byte) {
	r := rand.New(rand.NewPCG(2, 31))
	w, h := 30+r.IntN(200), 3+r.IntN(8)
	im := randomImage(r, w, h, 8, 0, 0)
	z := deflate(im.data(false, func(int) byte { return 0 }))
	z = z[:len(z)-9]
	return pillowCase{"cut 9 bytes before the end", file(ihdr(w, h, 8, 0, 0), chunk("IDAT", z)), im.want()}, z
}

// TestCutAtTheEnd: the case above is one compress/flate cannot read alone.
func TestCutAtTheEnd(t *testing.T) {
	c, z := cutAtTheEnd()
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	if need := c.want.Height * (1 + c.want.Width); len(raw) >= need {
		t.Fatalf("compress/flate reads %d bytes of the %d the image needs: the case tests nothing", len(raw), need)
	}
	if bm, err := decode(c.data); err != nil || !bm.Equal(c.want) {
		t.Fatalf("not read to the pixels (%v)", err)
	}
}

// zlibEndCases are streams cut or damaged at chosen bits near the image's
// end, made by hand. What Pillow does with them depends on how zlib and
// Pillow's decoder work through the last bytes: zlib is asked for a row at
// a time, only while it has input left, and goes on decoding after a row
// until it has to write.
func zlibEndCases() []pillowCase {
	const w, h = 5, 6 // rows of 6 bytes, filter byte and all
	r := rand.New(rand.NewPCG(33, 34))
	top := make([]byte, 2*(1+w)) // two rows, repeated twice below them
	for i := range top {
		if i%(1+w) != 0 {
			top[i] = byte(r.IntN(256))
		}
	}
	raw := bytes.Repeat(top, 3)
	im := &image{w: w, h: h, depth: 8, ctype: 0}
	for y := range h {
		var s []uint16
		for _, v := range raw[y*(1+w)+1 : (y+1)*(1+w)] {
			s = append(s, uint16(v))
		}
		im.samples = append(im.samples, s)
	}
	ok := im.want()
	hdr := ihdr(w, h, 8, 0, 0)
	zlibOf := func(d []byte) []byte {
		return binary.BigEndian.AppendUint32(append([]byte{0x78, 0x01}, d...), adler32.Checksum(raw))
	}

	// The last four rows come from one match: zlib writes them a row a
	// call after it has read the match.
	var m deflater
	m.block(true)
	m.literals(top)
	m.match(4*(1+w), 2*(1+w), -1)
	matchEnd := len(m.bytes())
	m.end()
	mz := zlibOf(m.bytes())

	// Every row is literals.
	var l deflater
	l.block(true)
	l.literals(raw)
	l.end()
	lz := zlibOf(l.bytes())

	// Literals, then a match whose distance code is invalid, or whose
	// distance reaches past the output.
	bad := func(dcode, dist int) []byte {
		var d deflater
		d.block(true)
		d.literals(raw)
		d.match(3, dist, dcode)
		d.end()
		return zlibOf(d.bytes())
	}
	// Three rows of literals, and the stream's end.
	var e deflater
	e.block(true)
	e.literals(raw[:3*(1+w)])
	lastRow := len(e.bytes()) // the byte that completes the third row
	e.end()
	ez := binary.BigEndian.AppendUint32(append([]byte{0x78, 0x01}, e.bytes()...), adler32.Checksum(raw[:3*(1+w)]))
	early := *im
	early.samples = append(append([][]uint16{}, im.samples[:3]...), make([]uint16, w), make([]uint16, w), make([]uint16, w))

	cut := func(c []byte, n int) []byte { return c[:len(c)-n] }
	return []pillowCase{
		// A stream that ends early, all in one chunk: zlib reports its
		// end with the third row, and the rows after it are zero.
		{"stream ends early", file(hdr, chunk("IDAT", ez)), early.want()},
		// Its end in the next chunk: zlib reports it with no row, and
		// Pillow waits for data that never comes.
		{"stream ends early, its end in the next chunk", file(hdr, chunk("IDAT", ez[:2+lastRow]), chunk("IDAT", ez[2+lastRow:])), nil},
		// Cut where the match's bits end: zlib writes one row of it, and
		// Pillow, out of input, asks for no more.
		{"cut after a match's bits", file(hdr, chunk("IDAT", mz[:2+matchEnd])), nil},
		// A byte more: Pillow has input left, and asks for the rest.
		{"cut a byte after a match's bits", file(hdr, chunk("IDAT", mz[:2+matchEnd+1])), ok},
		// The rows done in the first chunk: Pillow reads the next chunk
		// whole, and the end of the file cuts it short.
		{"checksum chunk cut short", cut(file(hdr, chunk("IDAT", lz[:len(lz)-4]), chunk("IDAT", lz[len(lz)-4:])), 6), nil},
		{"checksum chunk", file(hdr, chunk("IDAT", lz[:len(lz)-4]), chunk("IDAT", lz[len(lz)-4:])), ok},
		// The match's rows written in the next chunk, which Pillow is in
		// when the image is done: that it is cut short does not matter.
		{"match rows in a chunk cut short", cut(file(hdr, chunk("IDAT", mz[:2+matchEnd]), chunk("IDAT", mz[2+matchEnd:])), 6), ok},
		{"invalid distance code after the last row", file(hdr, chunk("IDAT", bad(30, 0))), nil},
		{"distance too far back after the last row", file(hdr, chunk("IDAT", bad(-1, 1000))), ok},
	}
}
