package tiff

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image/color"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec/tiff/decompress"
	"github.com/rlec/rlec/internal/codec/tiff/mode"
)

// maxBlocks bounds the strips or tiles an image may have, so that their
// offset tables stay small: 65535 rows of single-row strips, for each of
// the samples of a planar image, fit.
const maxBlocks = 1 << 20

// maxTileRowBytes bounds the memory a row of tiles takes once decoded.
const maxTileRowBytes = 256 << 20

// layout is what the first IFD says about the image and where its pixels
// are, checked for consistency.
type layout struct {
	width, height int
	compression   int
	fillOrder2    bool // bits of every stored byte reversed
	predictor     int  // 1 none, 2 horizontal, 3 floating point (LZW and Deflate only)
	t4Options     uint64
	planar        bool // one plane a sample, each in blocks of its own
	spp, bps      int
	kind          mode.Kind
	invert        bool // bilevel and grey: min-is-white
	palette       []color.RGBA
	order         byte // 'I' or 'M'

	tiled          bool
	blockW, blockH int // tile size, or width × RowsPerStrip
	across, down   int // blocks across and down one plane
	offsets        []uint64
	counts         []uint64 // nil when the file has none, or libtiff would not trust them
}

// planes is how many planes the data is stored in.
func (l *layout) planes() int {
	if l.planar {
		return l.spp
	}
	return 1
}

// pixelBits is the size of a pixel in one plane.
func (l *layout) pixelBits() int {
	if l.planar {
		return l.bps
	}
	return l.bps * l.spp
}

// rowBytes is the size of a row of n pixels of one plane.
func (l *layout) rowBytes(n int) int { return (n*l.pixelBits() + 7) / 8 }

// blockRows is how many rows of the image block row r (a strip or a row of
// tiles) holds.
func (l *layout) blockRows(r int) int { return min(l.blockH, l.height-r*l.blockH) }

// block returns the index in the offset tables of the block of plane p at
// block row r, column c.
func (l *layout) block(p, r, c int) int { return (p*l.down+r)*l.across + c }

// compressed reports whether the data is compressed (and so needs its
// byte counts).
func (l *layout) compressed() bool { return l.compression != decompress.None }

// params says how the blocks are stored, for their decompression.
func (l *layout) params() decompress.Params {
	p := decompress.Params{
		Compression: l.compression, FillOrder2: l.fillOrder2, T4Options: l.t4Options,
		Predictor: l.predictor, BitsPerSample: l.bps, Samples: l.spp, BigEndian: l.order == 'M',
	}
	if l.planar {
		p.Samples = 1
	}
	return p
}

// readLayout reads and checks the fields of the first IFD.
func readLayout(f *file, d *ifd) (*layout, error) {
	p := d.pil
	if _, ok := p[tagWindowsMediaInfo]; ok {
		return nil, errors.New("Windows Media Photo data, which the reference does not read")
	}
	l := &layout{order: 'I'}
	if f.order == binary.BigEndian {
		l.order = 'M'
	}
	var ferr error
	get := func(tag uint16, def uint64) uint64 {
		v, err := f.value(p, tag, def)
		if err != nil && ferr == nil {
			ferr = err
		}
		return v
	}
	width, height := get(tagImageWidth, 0), get(tagImageLength, 0)
	compression := get(tagCompression, decompress.None)
	photo := get(tagPhotometric, 0) // Pillow's default when the tag is missing
	fill := get(tagFillOrder, 1)
	spp := get(tagSamplesPerPixel, 1)
	planarConfig := get(tagPlanarConfig, 1)
	orientation := get(tagOrientation, 1)
	if ferr != nil {
		return nil, ferr
	}
	if _, ok := p[tagImageWidth]; !ok {
		return nil, errors.New("no ImageWidth field")
	}
	if _, ok := p[tagImageLength]; !ok {
		return nil, errors.New("no ImageLength field")
	}
	if width == 0 || height == 0 {
		return nil, fmt.Errorf("image size %dx%d has no pixels", width, height)
	}
	if width > bitmap.MaxDimension || height > bitmap.MaxDimension {
		return nil, fmt.Errorf("image is %dx%d; the .rle format holds at most %dx%d", width, height, bitmap.MaxDimension, bitmap.MaxDimension)
	}
	l.width, l.height = int(width), int(height)
	if orientation >= 2 && orientation <= 8 {
		return nil, fmt.Errorf("orientation %d (a flipped or rotated image) is not supported", orientation)
	}
	if _, ok := decompress.Names[compression]; !ok {
		return nil, fmt.Errorf("unknown compression %d", compression)
	}
	if compression == decompress.JPEG || compression == decompress.OJPEG {
		// Before the photometric interpretation, which is YCbCr in most
		// of these files: the compression is what rlec does not read.
		return nil, errors.New("JPEG-compressed TIFF is not read yet")
	}
	if d.cut && compression != decompress.None {
		// Pillow reads the fields it has; libtiff, which decompresses,
		// refuses a directory it cannot read whole.
		return nil, errors.New("the file ends inside the first IFD")
	}
	if fill != 1 && fill != 2 {
		return nil, fmt.Errorf("fill order %d, which the reference does not read", fill)
	}
	formats, err := f.values(p, tagSampleFormat, mode.MaxSamples+1)
	if err != nil {
		return nil, err
	}
	bps, err := f.values(p, tagBitsPerSample, mode.MaxSamples+1)
	if err != nil {
		return nil, err
	}
	extra, err := f.values(p, tagExtraSamples, mode.MaxSamples+1)
	if err != nil {
		return nil, err
	}
	key, err := mode.KeyFor(l.order, photo, fill, formats, bps, extra, int(min(spp, 1<<16)))
	if err != nil {
		return nil, err
	}
	m, ok := mode.Lookup(key)
	if !ok {
		if key.Order == 'M' && key.Photo == 0 && key.BPS == 16 {
			return nil, fmt.Errorf("big-endian min-is-white 16-bit grey, which the reference refuses")
		}
		return nil, fmt.Errorf("unsupported layout: %s (the reference does not read it either)", key)
	}
	switch m.Kind {
	case mode.Grey12:
		return nil, errors.New("12-bit samples, which the reference fails to read")
	case mode.YCbCr:
		return nil, errors.New("YCbCr colour (photometric 6) is not supported")
	case mode.Lab:
		return nil, errors.New("CIELab colour, which the reference cannot convert to black and white")
	}
	l.kind, l.invert, l.spp, l.bps = m.Kind, m.Invert, key.SPP, key.BPS
	l.fillOrder2 = fill == 2
	l.planar = planarConfig == 2 && l.spp > 1
	if planarConfig != 1 && planarConfig != 2 {
		return nil, fmt.Errorf("unknown planar configuration %d", planarConfig)
	}
	// Uncompressed data Pillow reads by its own fields; compressed data
	// libtiff reads by its.
	blocks := p
	if compression != decompress.None {
		blocks = d.all
	}
	predictor, err := f.value(blocks, tagPredictor, 1)
	if err != nil {
		return nil, err
	}
	if l.t4Options, err = f.value(blocks, tagT4Options, 0); err != nil {
		return nil, err
	}
	if err := l.setCompression(compression, predictor); err != nil {
		return nil, err
	}
	if l.kind == mode.Palette || l.kind == mode.PaletteAlpha {
		if l.palette, err = readPalette(f, p, l.bps); err != nil {
			return nil, err
		}
	}
	if err := l.readBlocks(f, blocks); err != nil {
		return nil, err
	}
	return l, nil
}

// setCompression checks the compression against the layout, and the
// predictor, which libtiff applies after LZW and Deflate only.
func (l *layout) setCompression(c, predictor uint64) error {
	l.compression, l.predictor = int(c), 1
	switch c {
	case decompress.None, decompress.LZW, decompress.Deflate, decompress.DeflateZ, decompress.PackBits:
	case decompress.CCITTRLE, decompress.CCITTFax3, decompress.CCITTFax4:
		if l.bps != 1 || l.spp != 1 {
			return fmt.Errorf("%s compression of %d-bit pixels; it codes 1-bit images only", decompress.Names[c], l.bps*l.spp)
		}
	default:
		return fmt.Errorf("%s compression (%d) is not supported", decompress.Names[c], c)
	}
	if c != decompress.LZW && c != decompress.Deflate && c != decompress.DeflateZ {
		return nil
	}
	switch predictor {
	case 1:
	case 2:
		if l.bps != 8 && l.bps != 16 && l.bps != 32 {
			return fmt.Errorf("horizontal predictor with %d-bit samples, which libtiff refuses", l.bps)
		}
	case 3:
		if l.kind != mode.Float32 {
			return fmt.Errorf("floating-point predictor on samples that are not floating point")
		}
	default:
		return fmt.Errorf("unknown predictor %d", predictor)
	}
	l.predictor = int(predictor)
	return nil
}

// readPalette reads the ColorMap of a paletted image: 2^bps red values,
// then as many green and blue, 16 bits each, of which Pillow keeps the high
// byte.
func readPalette(f *file, d fields, bps int) ([]color.RGBA, error) {
	n := 1 << bps
	e, ok := d[tagColorMap]
	if !ok {
		return nil, errors.New("a palette image without a ColorMap")
	}
	if e.count != uint64(3*n) {
		return nil, fmt.Errorf("ColorMap has %d values; %d bits per pixel need %d", e.count, bps, 3*n)
	}
	v, err := f.values(d, tagColorMap, 3*n)
	if err != nil {
		return nil, err
	}
	p := make([]color.RGBA, n)
	for i := range p {
		p[i] = color.RGBA{R: uint8(v[i] >> 8), G: uint8(v[n+i] >> 8), B: uint8(v[2*n+i] >> 8), A: 0xff}
	}
	return p, nil
}

// readBlocks reads the geometry of the strips or tiles and their offsets
// and byte counts, and checks that each lies in the file.
func (l *layout) readBlocks(f *file, d fields) error {
	_, hasTiles := d[tagTileOffsets]
	_, hasStrips := d[tagStripOffsets]
	offTag, countTag := uint16(tagStripOffsets), uint16(tagStripByteCounts)
	switch {
	case hasTiles && hasStrips:
		return errors.New("both StripOffsets and TileOffsets")
	case hasTiles:
		l.tiled = true
		offTag, countTag = tagTileOffsets, tagTileByteCounts
		tw, err := f.value(d, tagTileWidth, 0)
		if err != nil {
			return err
		}
		th, err := f.value(d, tagTileLength, 0)
		if err != nil {
			return err
		}
		if tw == 0 || th == 0 || tw > 1<<16 || th > 1<<16 {
			return fmt.Errorf("tile size %dx%d", tw, th)
		}
		l.blockW, l.blockH = int(tw), int(th)
	case hasStrips:
		rps, err := f.value(d, tagRowsPerStrip, uint64(l.height))
		if err != nil {
			return err
		}
		if rps == 0 {
			return errors.New("RowsPerStrip is 0")
		}
		l.blockW, l.blockH = l.width, int(min(rps, uint64(l.height)))
	default:
		return errors.New("no StripOffsets or TileOffsets: the image has no data")
	}
	l.across = (l.width + l.blockW - 1) / l.blockW
	l.down = (l.height + l.blockH - 1) / l.blockH
	n := l.across * l.down * l.planes()
	if n > maxBlocks {
		return fmt.Errorf("%d tiles; at most %d are supported", n, maxBlocks)
	}
	if l.across > 1 {
		if b := l.planes() * l.across * l.blockH * l.rowBytes(l.blockW); b > maxTileRowBytes {
			return fmt.Errorf("%dx%d tiles: a row of them would take %d MiB", l.blockW, l.blockH, b>>20)
		}
	}
	what := "StripOffsets"
	if l.tiled {
		what = "TileOffsets"
	}
	var err error
	if l.offsets, err = l.table(f, d, offTag, what, n); err != nil {
		return err
	}
	if _, ok := d[countTag]; ok {
		if l.counts, err = l.table(f, d, countTag, what[:len(what)-7]+"ByteCounts", n); err != nil {
			return err
		}
		if n == 1 && !l.tiled && l.counts[0] == 0 && l.offsets[0] != 0 {
			// libtiff takes a single strip's byte count of 0 for a writer
			// that did not know it, as if there were none.
			l.counts = nil
		}
	} else if l.compressed() && n != l.planes() {
		// libtiff guesses the byte count of one strip a plane only.
		return fmt.Errorf("compressed data without %sByteCounts", what[:len(what)-7])
	}
	if f.size >= 0 {
		for i := range n {
			if err := l.checkBlock(f, i); err != nil {
				return err
			}
		}
	}
	return nil
}

// table reads an offset or byte count table of n entries.
func (l *layout) table(f *file, d fields, tag uint16, what string, n int) ([]uint64, error) {
	if c := d[tag].count; c < uint64(n) {
		return nil, fmt.Errorf("%s has %d entries; the image needs %d", what, c, n)
	}
	return f.values(d, tag, n)
}

// blockName names block i for messages: "strip 3", "tile 7".
func (l *layout) blockName(i int) string {
	if l.tiled {
		return fmt.Sprintf("tile %d", i)
	}
	return fmt.Sprintf("strip %d", i)
}

// extent is where block i's data lies: its offset and length. The length
// of uncompressed data is what its rows take, whatever the byte count
// says, as Pillow reads it; -1 is a compressed strip with no byte count,
// which runs to the end of the file.
func (l *layout) extent(i int) (off uint64, n int64) {
	off = l.offsets[i]
	if !l.compressed() {
		r := (i / l.across) % l.down
		return off, int64(l.blockRows(r)) * int64(l.rowBytes(l.blockW))
	}
	if l.counts == nil {
		return off, -1
	}
	return off, int64(min(l.counts[i], 1<<62))
}

// checkBlock checks that block i's data is in the file.
func (l *layout) checkBlock(f *file, i int) error {
	off, n := l.extent(i)
	if n == 0 {
		return fmt.Errorf("%s has no data (byte count 0)", l.blockName(i))
	}
	if n < 0 {
		if !f.holds(off, 1) {
			return fmt.Errorf("%s's data (at offset %d) lies past the end of the file", l.blockName(i), off)
		}
		return nil
	}
	if !f.holds(off, uint64(n)) {
		return fmt.Errorf("%s's data (%d bytes at offset %d) runs past the end of the file", l.blockName(i), n, off)
	}
	return nil
}
