package write

import (
	"encoding/binary"
	"slices"
)

// headerSize is the size of a classic TIFF header.
const headerSize = 8

// header is the file header, little-endian as libtiff writes on most
// machines, pointing at the IFD at ifdOff (0 while it is not known).
func header(ifdOff uint32) []byte {
	return binary.LittleEndian.AppendUint32([]byte{'I', 'I', 42, 0}, ifdOff)
}

// Field types.
const (
	typeShort    = 3
	typeLong     = 4
	typeRational = 5
)

// field is an IFD entry: its tag, type, and values, little-endian.
type field struct {
	tag, typ uint16
	count    uint32
	value    []byte
}

func short(tag uint16, v int) field {
	return field{tag, typeShort, 1, binary.LittleEndian.AppendUint16(nil, uint16(v))}
}

func longs(tag uint16, v []uint32) field {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, x)
	}
	return field{tag, typeLong, uint32(len(v)), b}
}

func rational(tag uint16, num, den uint32) field {
	return field{tag, typeRational, 1, binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, num), den)}
}

// appendIFD appends to dst the IFD, which starts at file offset ifdOff,
// and after it the values too big for its entries, in tag order, each on
// a word boundary.
func (e *encoder) appendIFD(dst []byte, ifdOff uint32) []byte {
	fs := []field{
		short(256, e.width),  // ImageWidth
		short(257, e.height), // ImageLength
		short(258, 1),        // BitsPerSample
		short(259, e.comp),   // Compression
		short(262, 0),        // PhotometricInterpretation: min-is-white
		short(266, 1),        // FillOrder: most significant bit first
		longs(273, e.offsets),
		short(277, 1),     // SamplesPerPixel
		short(278, e.rps), // RowsPerStrip
		longs(279, e.counts),
		short(284, 1), // PlanarConfiguration: chunky
	}
	if e.dpi > 0 {
		fs = append(fs,
			rational(282, uint32(e.dpi), 1), // XResolution
			rational(283, uint32(e.dpi), 1), // YResolution
			short(296, 2),                   // ResolutionUnit: inch
		)
	}
	slices.SortFunc(fs, func(a, b field) int { return int(a.tag) - int(b.tag) })
	le := binary.LittleEndian
	extra := ifdOff + 2 + 12*uint32(len(fs)) + 4
	var vals []byte
	dst = le.AppendUint16(dst, uint16(len(fs)))
	for _, f := range fs {
		dst = le.AppendUint16(dst, f.tag)
		dst = le.AppendUint16(dst, f.typ)
		dst = le.AppendUint32(dst, f.count)
		if len(f.value) <= 4 {
			dst = append(dst, f.value...)
			dst = append(dst, make([]byte, 4-len(f.value))...)
			continue
		}
		dst = le.AppendUint32(dst, extra+uint32(len(vals)))
		vals = append(vals, f.value...)
		if len(vals)%2 == 1 {
			vals = append(vals, 0)
		}
	}
	dst = le.AppendUint32(dst, 0) // no next IFD
	return append(dst, vals...)
}
