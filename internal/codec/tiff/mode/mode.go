// Package mode is Pillow 9.4's table of the TIFF pixel layouts it opens
// (OPEN_INFO in TiffImagePlugin), and the mode it opens each in: which
// layouts the reference reads, and so which rlec reads, and how their
// samples are to be taken.
package mode

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/rlec/rlec/internal/convert"
)

// Kind is what a pixel's stored samples are, and so which of Pillow's
// modes the image opens in.
type Kind uint8

const (
	Bilevel      Kind = iota + 1 // "1"
	Grey                         // "L", from 2, 4 or 8 bits
	Grey16                       // "I;16", "I;16B": unsigned 16-bit grey
	Signed16                     // "I" from signed 16-bit grey
	Int32                        // "I" from 32-bit grey
	Float32                      // "F"
	GreyAlpha                    // "LA"
	RGB                          // "RGB", "RGBA", "RGBX": extra samples ignored
	RGBPremul                    // "RGBA" from premultiplied colour
	Palette                      // "P"
	PaletteAlpha                 // "PA"
	CMYK                         // "CMYK"
	Grey12                       // "I;12", which the reference fails to read
	YCbCr                        // photometric 6, JPEG's colour space
	Lab                          // "LAB", which the reference cannot convert
)

// Mode is the mode of package convert an image of kind k is converted
// from.
func (k Kind) Mode() convert.Mode {
	switch k {
	case Grey:
		return convert.L
	case Grey16:
		return convert.I16
	case Signed16, Int32:
		return convert.I
	case Float32:
		return convert.F
	case GreyAlpha:
		return convert.LA
	case Palette:
		return convert.P
	case PaletteAlpha:
		return convert.PA
	case CMYK:
		return convert.CMYK
	}
	return convert.RGB // RGB, RGBPremul
}

// Key is what Pillow looks an image's mode up by: byte order,
// photometric interpretation, sample format, fill order, bits per sample
// (the same for every sample in every mode it knows), samples per pixel
// and the extra samples.
type Key struct {
	Order  byte // 'I' or 'M'; 0 in the table matches both
	Photo  uint64
	Format uint64
	Fill   uint64
	BPS    int
	SPP    int
	Extra  string // the ExtraSamples values, "1,0"
}

// Entry is a layout Pillow reads and the kind it reads it as; Invert
// is set for the min-is-white layouts Pillow inverts.
type Entry struct {
	Key    Key
	Kind   Kind
	Invert bool
}

// pillowModes is Pillow 9.4's table of the TIFF layouts it opens (OPEN_INFO
// in TiffImagePlugin), one entry per key. A layout missing from it is one
// the reference refuses ("unknown pixel mode"), and so does rlec.
var pillowModes = buildModes()

func buildModes() []Entry {
	var t []Entry
	add := func(order byte, photo, format, fill uint64, bps, spp int, extra string, k Kind, invert bool) {
		t = append(t, Entry{Key{order, photo, format, fill, bps, spp, extra}, k, invert})
	}
	for _, fill := range []uint64{1, 2} {
		add(0, 0, 1, fill, 1, 1, "", Bilevel, true) // 1;I
		add(0, 1, 1, fill, 1, 1, "", Bilevel, false)
		for _, bps := range []int{2, 4, 8} {
			add(0, 0, 1, fill, bps, 1, "", Grey, true) // L;2I ...
			add(0, 1, 1, fill, bps, 1, "", Grey, false)
		}
		for _, bps := range []int{1, 2, 4, 8} {
			add(0, 3, 1, fill, bps, 1, "", Palette, false)
		}
	}
	add('I', 1, 1, 1, 12, 1, "", Grey12, false)
	add('I', 0, 1, 1, 16, 1, "", Grey16, false) // min-is-white, yet not inverted
	add('I', 1, 1, 1, 16, 1, "", Grey16, false)
	add('M', 1, 1, 1, 16, 1, "", Grey16, false)
	add('I', 1, 1, 2, 16, 1, "", Grey16, false)
	add(0, 1, 2, 1, 16, 1, "", Signed16, false)
	add(0, 0, 3, 1, 32, 1, "", Float32, false)
	add(0, 1, 3, 1, 32, 1, "", Float32, false)
	add('I', 1, 1, 1, 32, 1, "", Int32, false)
	add(0, 1, 2, 1, 32, 1, "", Int32, false)
	add(0, 1, 1, 1, 8, 2, "2", GreyAlpha, false)
	add(0, 2, 1, 1, 8, 3, "", RGB, false)
	add(0, 2, 1, 2, 8, 3, "", RGB, false)
	for _, extra := range []string{"", "0", "0,0", "0,0,0", "2", "2,0", "2,0,0", "999"} {
		spp := 4
		if extra != "" {
			spp = 3 + strings.Count(extra, ",") + 1
		}
		add(0, 2, 1, 1, 8, spp, extra, RGB, false)
	}
	add(0, 2, 1, 1, 8, 4, "1", RGBPremul, false)
	add(0, 2, 1, 1, 8, 5, "1,0", RGBPremul, false)
	add(0, 2, 1, 1, 8, 6, "1,0,0", RGBPremul, false)
	add(0, 2, 1, 1, 16, 3, "", RGB, false)
	add(0, 2, 1, 1, 16, 4, "", RGB, false)
	add(0, 2, 1, 1, 16, 4, "0", RGB, false)
	add(0, 2, 1, 1, 16, 4, "2", RGB, false)
	add(0, 2, 1, 1, 16, 4, "1", RGBPremul, false)
	add(0, 3, 1, 1, 8, 2, "2", PaletteAlpha, false)
	add(0, 5, 1, 1, 8, 4, "", CMYK, false)
	add(0, 5, 1, 1, 8, 5, "0", CMYK, false)
	add(0, 5, 1, 1, 8, 6, "0,0", CMYK, false)
	add('I', 5, 1, 1, 16, 4, "", CMYK, false)
	add(0, 6, 1, 1, 8, 3, "", YCbCr, false)
	add(0, 8, 1, 1, 8, 3, "", Lab, false)
	return t
}

// MaxSamples is Pillow's limit on samples per pixel: the most any mode in
// its table has.
const MaxSamples = 6

// Lookup finds the layout of an image in Pillow's table, after the
// adjustments Pillow makes to the fields first.
func Lookup(k Key) (Entry, bool) {
	for _, e := range pillowModes {
		ek := e.Key
		if ek.Order != 0 && ek.Order != k.Order {
			continue
		}
		ek.Order = k.Order
		if ek == k {
			return e, true
		}
	}
	return Entry{}, false
}

// KeyFor builds the lookup key from the fields as the file gives them, as
// Pillow's TiffImageFile._setup does: one SampleFormat stands for all when
// all are 1; BitsPerSample is cut to SamplesPerPixel, or one value is
// repeated for every sample. It returns the key and the bits per sample,
// and an error when the bits per sample differ between samples or do not
// match the sample count, which no mode Pillow knows has.
func KeyFor(order byte, photo, fill uint64, formats, bps, extra []uint64, spp int) (Key, error) {
	if spp < 1 {
		return Key{}, errors.New("no samples per pixel")
	}
	if spp > MaxSamples {
		return Key{}, fmt.Errorf("%d samples per pixel; the reference reads at most %d", spp, MaxSamples)
	}
	format := uint64(1)
	switch {
	case len(formats) == 1:
		format = formats[0]
	case len(formats) > 1:
		format = formats[0]
		for _, f := range formats {
			if f != formats[0] {
				return Key{}, fmt.Errorf("samples of different formats %v", formats)
			}
		}
		if format != 1 {
			return Key{}, fmt.Errorf("per-sample SampleFormat %v, which the reference does not read", formats)
		}
	}
	if len(bps) == 0 {
		bps = []uint64{1}
	}
	switch {
	case spp < len(bps):
		bps = bps[:spp]
	case spp > len(bps) && len(bps) == 1:
		bps = slices.Repeat(bps, spp)
	}
	if len(bps) != spp {
		return Key{}, fmt.Errorf("%d BitsPerSample values for %d samples per pixel", len(bps), spp)
	}
	for _, b := range bps {
		if b != bps[0] {
			return Key{}, fmt.Errorf("samples of different sizes %v bits, which the reference does not read", bps)
		}
	}
	if bps[0] > 64 {
		return Key{}, fmt.Errorf("%d bits per sample", bps[0])
	}
	ex := make([]string, len(extra))
	for i, e := range extra {
		ex[i] = strconv.FormatUint(e, 10)
	}
	return Key{order, photo, format, fill, int(bps[0]), spp, strings.Join(ex, ",")}, nil
}

// String names a layout for messages.
func (k Key) String() string {
	s := fmt.Sprintf("photometric %d (%s), %d samples of %d bits", k.Photo, photometricName(k.Photo), k.SPP, k.BPS)
	if k.SPP == 1 {
		s = fmt.Sprintf("photometric %d (%s), %d bits per pixel", k.Photo, photometricName(k.Photo), k.BPS)
	}
	if k.Format != 1 {
		s += fmt.Sprintf(", sample format %d", k.Format)
	}
	if k.Extra != "" {
		s += ", extra samples " + k.Extra
	}
	if k.Fill != 1 {
		s += fmt.Sprintf(", fill order %d", k.Fill)
	}
	if k.Order == 'M' {
		s += ", big-endian"
	}
	return s
}

func photometricName(p uint64) string {
	switch p {
	case 0:
		return "min-is-white"
	case 1:
		return "min-is-black"
	case 2:
		return "RGB"
	case 3:
		return "palette"
	case 4:
		return "transparency mask"
	case 5:
		return "CMYK"
	case 6:
		return "YCbCr"
	case 8:
		return "CIELab"
	}
	return "unknown"
}
