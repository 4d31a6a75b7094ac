package ccitt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/conformance"
	"github.com/rlec/rlec/internal/rle"
)

// testTIFF is what the tests need of a TIFF's first image: just enough of
// a reader to take out the coded strips or tiles.
type testTIFF struct {
	width, height int
	compression   int
	photometric   int
	fillOrder     int
	t4Options     int
	rowsPerStrip  int
	tileW, tileH  int      // 0 for strips
	chunks        [][]byte // strips or tiles, bytes in MSB-first order
}

func parseTestTIFF(data []byte) (*testTIFF, error) {
	if len(data) < 8 {
		return nil, errors.New("short TIFF")
	}
	var bo binary.ByteOrder
	switch string(data[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return nil, errors.New("not a TIFF")
	}
	ifd := int(bo.Uint32(data[4:]))
	if ifd+2 > len(data) {
		return nil, errors.New("IFD past the end")
	}
	n := int(bo.Uint16(data[ifd:]))
	t := &testTIFF{fillOrder: 1, rowsPerStrip: 1 << 30}
	var offsets, counts []int
	for i := range n {
		e := data[ifd+2+12*i:]
		tag, typ, count := bo.Uint16(e), bo.Uint16(e[2:]), int(bo.Uint32(e[4:]))
		size := map[uint16]int{3: 2, 4: 4}[typ]
		if size == 0 {
			continue
		}
		vals := e[8:12]
		if size*count > 4 {
			off := int(bo.Uint32(e[8:]))
			if off+size*count > len(data) {
				return nil, fmt.Errorf("tag %d past the end", tag)
			}
			vals = data[off:]
		}
		get := func(j int) int {
			if size == 2 {
				return int(bo.Uint16(vals[2*j:]))
			}
			return int(bo.Uint32(vals[4*j:]))
		}
		list := make([]int, count)
		for j := range list {
			list[j] = get(j)
		}
		switch tag {
		case 256:
			t.width = list[0]
		case 257:
			t.height = list[0]
		case 259:
			t.compression = list[0]
		case 262:
			t.photometric = list[0]
		case 266:
			t.fillOrder = list[0]
		case 292:
			t.t4Options = list[0]
		case 278:
			t.rowsPerStrip = list[0]
		case 322:
			t.tileW = list[0]
		case 323:
			t.tileH = list[0]
		case 273, 324:
			offsets = list
		case 279, 325:
			counts = list
		}
	}
	if len(offsets) != len(counts) {
		return nil, errors.New("offsets and byte counts differ in number")
	}
	for i, off := range offsets {
		if off+counts[i] > len(data) {
			return nil, fmt.Errorf("strip %d past the end", i)
		}
		c := append([]byte(nil), data[off:off+counts[i]]...)
		if t.fillOrder == 2 {
			for j, b := range c {
				c[j] = bits.Reverse8(b)
			}
		}
		t.chunks = append(t.chunks, c)
	}
	return t, nil
}

// options are the decoder options for a chunk of w x h pixels.
func (t *testTIFF) options(w, h int) (Options, error) {
	opt := Options{Width: w, Height: h}
	switch t.compression {
	case 2:
		opt.Coding = ModifiedHuffman
	case 3:
		opt.Coding = T4
		opt.TwoD = t.t4Options&1 != 0
		opt.FillBits = t.t4Options&4 != 0
	case 4:
		opt.Coding = T6
	default:
		return opt, fmt.Errorf("compression %d is not CCITT", t.compression)
	}
	return opt, nil
}

// decode decodes every strip or tile into one bitmap, 1 for white runs.
func (t *testTIFF) decode() (*bitmap.Bitmap, error) {
	bm, err := bitmap.New(t.width, t.height)
	if err != nil {
		return nil, err
	}
	if t.tileW == 0 {
		y := 0
		for i, c := range t.chunks {
			h := min(t.rowsPerStrip, t.height-y)
			opt, err := t.options(t.width, h)
			if err != nil {
				return nil, err
			}
			d, err := NewDecoder(c, opt)
			if err != nil {
				return nil, err
			}
			for j := range h {
				if err := d.ReadRow(bm.Row(y + j)); err != nil {
					return nil, fmt.Errorf("strip %d: %w", i, err)
				}
			}
			y += h
		}
		return bm, nil
	}
	across := (t.width + t.tileW - 1) / t.tileW
	tile, _ := bitmap.New(t.tileW, t.tileH)
	for i, c := range t.chunks {
		opt, err := t.options(t.tileW, t.tileH)
		if err != nil {
			return nil, err
		}
		d, err := NewDecoder(c, opt)
		if err != nil {
			return nil, err
		}
		for y := range t.tileH {
			if err := d.ReadRow(tile.Row(y)); err != nil {
				return nil, fmt.Errorf("tile %d: %w", i, err)
			}
		}
		x0, y0 := i%across*t.tileW, i/across*t.tileH
		for y := range t.tileH {
			for x := range t.tileW {
				if x0+x < t.width && y0+y < t.height {
					bm.Set(x0+x, y0+y, tile.At(x, y))
				}
			}
		}
	}
	return bm, nil
}

func invert(bm *bitmap.Bitmap) *bitmap.Bitmap {
	out := &bitmap.Bitmap{Width: bm.Width, Height: bm.Height, Stride: bm.Stride, Words: make([]uint64, len(bm.Words))}
	for y := range bm.Height {
		row, src := out.Row(y), bm.Row(y)
		for i := range row {
			row[i] = ^src[i]
		}
		row[len(row)-1] &= bitmap.TailMask(bm.Width)
	}
	return out
}

// conformanceFiles lists the CCITT-coded conformance TIFFs and their
// expected .rle outputs; the test is skipped when the data is absent.
func conformanceFiles(t testing.TB) map[string]string {
	files := ccittFiles(conformance.Dir(t))
	if len(files) == 0 {
		t.Fatal("no CCITT-coded conformance TIFFs")
	}
	return files
}

// ccittFiles lists the TIFFs under dir/formats whose first image has
// compression 2, 3 or 4, with their expected outputs.
func ccittFiles(dir string) map[string]string {
	dir = filepath.Join(dir, "formats")
	matches, _ := filepath.Glob(filepath.Join(dir, "*", "*.tif*"))
	files := map[string]string{}
	for _, f := range matches {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		tt, err := parseTestTIFF(data)
		if err != nil || tt.compression < 2 || tt.compression > 4 {
			continue
		}
		kind := filepath.Base(filepath.Dir(f))
		name := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		files[f] = filepath.Join(dir, "expected", kind, name+".rle")
	}
	return files
}

// TestConformance decodes every strip of the CCITT-coded conformance TIFFs
// and compares the pixels with the reference's. The rule it checks: a
// white run stands for 0 bits of the uncompressed image (libtiff's
// convention), which the photometric interpretation then reads as for any
// 1-bit TIFF. With min-is-white (0) the decoded rows are the image; with
// min-is-black (1) every pixel is inverted, white runs showing black.
func TestConformance(t *testing.T) {
	counts := map[string][2]int{}
	for f, want := range conformanceFiles(t) {
		kind := filepath.Base(filepath.Dir(f))
		t.Run(kind+"/"+filepath.Base(f), func(t *testing.T) {
			c := counts[kind]
			c[1]++
			counts[kind] = c
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			expected, err := os.ReadFile(want)
			if err != nil {
				t.Fatal(err)
			}
			wantBM, err := rle.Decode(expected)
			if err != nil {
				t.Fatal(err)
			}
			tt, err := parseTestTIFF(data)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tt.decode()
			if err != nil {
				t.Fatalf("compression %d, T4Options %d, fill order %d: %v", tt.compression, tt.t4Options, tt.fillOrder, err)
			}
			if tt.photometric == 1 {
				got = invert(got)
			}
			if !got.Equal(wantBM) {
				sense := "neither sense"
				if invert(got).Equal(wantBM) {
					sense = "the other sense"
				}
				t.Fatalf("photometric %d, compression %d: pixels differ from the reference, which matches %s", tt.photometric, tt.compression, sense)
			}
			c = counts[kind]
			c[0]++
			counts[kind] = c
		})
	}
	for k, c := range counts {
		t.Logf("%s: %d of %d files match", k, c[0], c[1])
	}
}

// TestEncodeLikeLibtiff decodes the strips of the Group 4 conformance
// TIFFs and codes them again: the result must be the file's bytes. Most
// were written by libtiff (tiffcp, Pillow), the pages by Ghostscript; both
// code as T.6 describes, and so does the encoder.
func TestEncodeLikeLibtiff(t *testing.T) {
	for f := range conformanceFiles(t) {
		kind := filepath.Base(filepath.Dir(f))
		t.Run(kind+"/"+filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			tt, err := parseTestTIFF(data)
			if err != nil {
				t.Fatal(err)
			}
			if tt.compression != 4 {
				t.Skip("not Group 4")
			}
			w, h := tt.width, tt.rowsPerStrip
			if tt.tileW != 0 {
				w, h = tt.tileW, tt.tileH
			}
			y := 0
			for i, c := range tt.chunks {
				n := h
				if tt.tileW == 0 {
					n = min(h, tt.height-y)
					y += n
				}
				d, err := NewDecoder(c, Options{Coding: T6, Width: w, Height: n})
				if err != nil {
					t.Fatal(err)
				}
				var out bytes.Buffer
				e := NewT6Encoder(&out, w)
				row := make([]uint64, bitmap.WordsPerRow(w))
				for range n {
					if err := d.ReadRow(row); err != nil {
						t.Fatal(err)
					}
					if err := e.WriteRow(row); err != nil {
						t.Fatal(err)
					}
				}
				if err := e.Close(); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out.Bytes(), c) {
					t.Errorf("chunk %d: coded again in %d bytes, not the file's %d", i, out.Len(), len(c))
				}
			}
		})
	}
}
