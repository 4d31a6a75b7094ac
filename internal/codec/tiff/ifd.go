package tiff

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/rlec/rlec/internal/codec"
)

// Tags rlec reads; every other tag is skipped without reading its value.
const (
	tagImageWidth       = 256
	tagImageLength      = 257
	tagBitsPerSample    = 258
	tagCompression      = 259
	tagPhotometric      = 262
	tagFillOrder        = 266
	tagStripOffsets     = 273
	tagOrientation      = 274
	tagSamplesPerPixel  = 277
	tagRowsPerStrip     = 278
	tagStripByteCounts  = 279
	tagPlanarConfig     = 284
	tagT4Options        = 292
	tagPredictor        = 317
	tagColorMap         = 320
	tagTileWidth        = 322
	tagTileLength       = 323
	tagTileOffsets      = 324
	tagTileByteCounts   = 325
	tagExtraSamples     = 338
	tagSampleFormat     = 339
	tagWindowsMediaInfo = 0xbc01
)

// Field types Pillow reads, and the size in bytes of one value of each.
// Fields of other types (SLONG8, IFD8, unknown) are skipped, as Pillow
// skips them.
var typeSizes = map[uint16]int{
	1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8,
}

// signedTypes are SBYTE, SSHORT and SLONG.
var signedTypes = map[uint16]bool{6: true, 8: true, 9: true}

// wantedTags are the tags whose entries are kept.
var wantedTags = map[uint16]bool{
	tagImageWidth: true, tagImageLength: true, tagBitsPerSample: true, tagCompression: true,
	tagPhotometric: true, tagFillOrder: true, tagStripOffsets: true, tagOrientation: true,
	tagSamplesPerPixel: true, tagRowsPerStrip: true, tagStripByteCounts: true,
	tagPlanarConfig: true, tagT4Options: true, tagPredictor: true,
	tagColorMap: true, tagTileWidth: true, tagTileLength: true, tagTileOffsets: true,
	tagTileByteCounts: true, tagExtraSamples: true, tagSampleFormat: true, tagWindowsMediaInfo: true,
}

// file is a TIFF file: its byte order, whether it is a BigTIFF (64-bit
// offsets), and where to read it.
type file struct {
	r     io.ReaderAt
	size  int64 // -1 for a stream
	order binary.ByteOrder
	big   bool
}

// entry is one field of an IFD: its type, count, and the value bytes the
// entry holds (the value itself when it fits, else its offset).
type entry struct {
	typ   uint16
	count uint64
	raw   [8]byte
}

// ifd is the fields of one image file directory that rlec reads, by tag,
// as the two readers of the reference see them. Pillow reads the entries
// in order and stops where the file ends or where an entry's values lie
// past its end, keeping the fields before; it takes the image's mode from
// them, and reads uncompressed data by them. libtiff, which Pillow hands
// compressed data to, reads every entry, and finds the strips by its own
// reading.
type ifd struct {
	pil, all fields
	// cut is set when the file ends inside the IFD's entries, which libtiff
	// refuses.
	cut        bool
	pilStopped bool
}

// fields are entries by tag; the last entry for a tag wins.
type fields map[uint16]entry

// readHeader reads the file header and returns the file and the offset of
// its first IFD. Besides the classic header ("II*\0", "MM\0*") it reads
// BigTIFF ("II+\0", "MM\0+") and the byte-swapped version numbers Pillow
// also accepts ("II\0*", "MM*\0").
func readHeader(r io.ReaderAt, size int64) (*file, uint64, error) {
	var h [16]byte
	if n, err := r.ReadAt(h[:8], 0); n < 8 {
		return nil, 0, fmt.Errorf("truncated in the header: %w", noEOF(err))
	}
	f := &file{r: r, size: size}
	switch string(h[:2]) {
	case "II":
		f.order = binary.LittleEndian
	case "MM":
		f.order = binary.BigEndian
	default:
		return nil, 0, errors.New("not a TIFF file (no II or MM byte order mark)")
	}
	switch version := f.order.Uint16(h[2:]); {
	case version == 42 || h[2] == 0 && h[3] == 42 || h[2] == 42 && h[3] == 0:
		return f, uint64(f.order.Uint32(h[4:])), nil
	case version == 43:
		f.big = true
		if n, err := r.ReadAt(h[8:16], 8); n < 8 {
			return nil, 0, fmt.Errorf("truncated in the BigTIFF header: %w", noEOF(err))
		}
		if f.order.Uint16(h[4:]) != 8 || f.order.Uint16(h[6:]) != 0 {
			return nil, 0, errors.New("BigTIFF header with offsets other than 8 bytes")
		}
		return f, f.order.Uint64(h[8:]), nil
	default:
		return nil, 0, fmt.Errorf("not a TIFF file (version %d)", version)
	}
}

// entryChunk is how many IFD entries are read at a time.
const entryChunk = 256

// readIFD reads the IFD at off as Pillow reads it: entries one after the
// other, skipping those of types it does not know or with no values,
// the last entry for a tag winning, and stopping, with the fields read so
// far, where the file ends or where an entry's values lie past its end.
func (f *file) readIFD(off uint64) (*ifd, error) {
	countSize, entrySize := 2, 12
	if f.big {
		countSize, entrySize = 8, 20
	}
	if off < 8 || !f.holds(off, uint64(countSize)) {
		return nil, fmt.Errorf("the first IFD's offset %d lies outside the file", off)
	}
	var cb [8]byte
	if err := f.readAt(cb[:countSize], off); err != nil {
		return nil, fmt.Errorf("truncated in the first IFD: %w", err)
	}
	var n uint64
	if f.big {
		n = f.order.Uint64(cb[:])
	} else {
		n = uint64(f.order.Uint16(cb[:]))
	}
	d := &ifd{pil: fields{}, all: fields{}}
	buf := make([]byte, entryChunk*entrySize)
	pos := off + uint64(countSize)
	for i := uint64(0); i < n; {
		k := min(n-i, entryChunk)
		got, _ := f.r.ReadAt(buf[:k*uint64(entrySize)], int64(min(pos, 1<<62)))
		whole := uint64(got / entrySize)
		for j := range whole {
			f.addEntry(d, buf[j*uint64(entrySize):])
		}
		if whole < k {
			d.cut = true
			break
		}
		i, pos = i+k, pos+k*uint64(entrySize)
	}
	return d, nil
}

// addEntry adds the entry in b to d, unless it is of a type Pillow does
// not know or has no values. After an entry whose values lie past the end
// of the file, entries are left out of what Pillow sees.
func (f *file) addEntry(d *ifd, b []byte) {
	tag := f.order.Uint16(b)
	e := entry{typ: f.order.Uint16(b[2:])}
	if f.big {
		e.count = f.order.Uint64(b[4:])
		copy(e.raw[:], b[12:20])
	} else {
		e.count = uint64(f.order.Uint32(b[4:]))
		copy(e.raw[:], b[8:12])
	}
	size, ok := typeSizes[e.typ]
	if !ok || e.count == 0 {
		return
	}
	if e.count > 1<<40 || !e.inline(f) && !f.holds(e.offset(f), e.count*uint64(size)) {
		d.pilStopped = true
		return
	}
	if wantedTags[tag] {
		d.all[tag] = e
		if !d.pilStopped {
			d.pil[tag] = e
		}
	}
}

// inline reports whether the entry holds its values itself.
func (e entry) inline(f *file) bool {
	n := 4
	if f.big {
		n = 8
	}
	return e.count*uint64(typeSizes[e.typ]) <= uint64(n)
}

// offset is where the values of an entry that does not hold them are.
func (e entry) offset(f *file) uint64 {
	if f.big {
		return f.order.Uint64(e.raw[:])
	}
	return uint64(f.order.Uint32(e.raw[:]))
}

// holds reports whether the file has n bytes at off.
func (f *file) holds(off, n uint64) bool {
	end := off + n
	if end < off || end > 1<<62 {
		return false
	}
	return codec.Available(f.r, f.size, int64(end))
}

// readAt fills p from off; a short read is an error.
func (f *file) readAt(p []byte, off uint64) error {
	if off > 1<<62 {
		return io.ErrUnexpectedEOF
	}
	n, err := f.r.ReadAt(p, int64(off))
	if n == len(p) {
		return nil
	}
	return noEOF(err)
}

// values reads up to max values of the field with the given tag, as
// unsigned integers. It returns nil, nil when the tag is absent. Fields of
// a non-integer type, or with negative values, are errors.
func (f *file) values(d fields, tag uint16, max int) ([]uint64, error) {
	e, ok := d[tag]
	if !ok {
		return nil, nil
	}
	size := typeSizes[e.typ]
	switch e.typ {
	case 2, 5, 10, 11, 12:
		return nil, fmt.Errorf("tag %d has type %d, not an integer type", tag, e.typ)
	}
	n := min(e.count, uint64(max))
	var data []byte
	if e.inline(f) {
		data = e.raw[:n*uint64(size)]
	} else {
		data = make([]byte, n*uint64(size))
		if err := f.readAt(data, e.offset(f)); err != nil {
			return nil, fmt.Errorf("truncated in tag %d's values: %w", tag, err)
		}
	}
	out := make([]uint64, n)
	for i := range out {
		b := data[i*size:]
		var v uint64
		var neg bool
		switch size {
		case 1:
			v, neg = uint64(b[0]), int8(b[0]) < 0
		case 2:
			v = uint64(f.order.Uint16(b))
			neg = int16(v) < 0
		case 4:
			v = uint64(f.order.Uint32(b))
			neg = int32(v) < 0
		case 8:
			v = f.order.Uint64(b)
		}
		if neg && signedTypes[e.typ] {
			return nil, fmt.Errorf("tag %d has a negative value", tag)
		}
		out[i] = v
	}
	return out, nil
}

// value reads a field of one value, or def when the tag is absent.
func (f *file) value(d fields, tag uint16, def uint64) (uint64, error) {
	v, err := f.values(d, tag, 1)
	if err != nil {
		return 0, err
	}
	if len(v) == 0 {
		return def, nil
	}
	return v[0], nil
}

// noEOF turns the end of the input into an unexpected end: every read the
// header asks for is one the file must satisfy.
func noEOF(err error) error {
	if err == nil || err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
