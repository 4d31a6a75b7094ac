package png_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	stdimage "image"
	stdpng "image/png"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/png"
)

// encode writes bm with the package's encoder, in bands of the given
// height.
func encode(t testing.TB, bm *bitmap.Bitmap, bandHeight int, opt codec.WriteOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	enc, err := png.NewEncoder(&b, bm.Width, bm.Height, opt)
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < bm.Height; y += bandHeight {
		if err := enc.WriteRows(bm.Band(y, min(y+bandHeight, bm.Height))); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func randomBitmap(r *rand.Rand, w, h int) *bitmap.Bitmap {
	bm, _ := bitmap.New(w, h)
	density := r.Float64()
	for y := range h {
		for x := range w {
			if r.Float64() < density {
				bm.Set(x, y, true)
			}
		}
	}
	return bm
}

// TestEncodeRoundTrip: random bitmaps of odd sizes, written by the encoder
// band by band, read back to the same pixels by the package's reader and
// by image/png.
func TestEncodeRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := range 60 {
		w, h := 1+r.IntN(300), 1+r.IntN(60)
		if i%10 == 0 {
			w = 1 + r.IntN(3000) // rows longer than a batch
		}
		bandHeight := 1 + r.IntN(h)
		t.Run(fmt.Sprintf("%dx%d_band%d", w, h, bandHeight), func(t *testing.T) {
			bm := randomBitmap(r, w, h)
			data := encode(t, bm, bandHeight, codec.WriteOptions{})
			got, err := decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(bm) {
				t.Fatal("the package's reader reads other pixels")
			}
			img, err := stdpng.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("image/png: %v", err)
			}
			g, ok := img.(*stdimage.Gray)
			if !ok || g.Bounds().Dx() != w || g.Bounds().Dy() != h {
				t.Fatalf("image/png reads a %T of %v", img, img.Bounds())
			}
			for y := range h {
				for x := range w {
					if (g.GrayAt(x, y).Y == 255) != bm.At(x, y) {
						t.Fatalf("image/png reads pixel (%d, %d) otherwise", x, y)
					}
				}
			}
		})
	}
}

// chunks lists the types and lengths of a PNG's chunks.
func chunks(t testing.TB, data []byte) (types []string, lengths []int, bodies [][]byte) {
	t.Helper()
	for off := 8; off < len(data); {
		n := int(binary.BigEndian.Uint32(data[off:]))
		types = append(types, string(data[off+4:off+8]))
		lengths = append(lengths, n)
		bodies = append(bodies, data[off+8:off+8+n])
		off += 12 + n
	}
	return types, lengths, bodies
}

// TestEncodeChunks: IHDR says 1-bit grey, pHYs holds the resolution
// rounded as Pillow rounds it, and no IDAT holds more than 64 KiB.
func TestEncodeChunks(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	bm := randomBitmap(r, 999, 700) // noise: about 87 KB deflated
	for _, tc := range []struct {
		dpi int
		ppm uint32
	}{{0, 0}, {72, 2835}, {300, 11811}, {600, 23622}, {1, 39}} {
		t.Run(fmt.Sprintf("dpi%d", tc.dpi), func(t *testing.T) {
			data := encode(t, bm, 64, codec.WriteOptions{DPI: tc.dpi})
			types, lengths, bodies := chunks(t, data)
			if types[0] != "IHDR" || !bytes.Equal(bodies[0], []byte{0, 0, 3, 0xe7, 0, 0, 2, 0xbc, 1, 0, 0, 0, 0}) {
				t.Fatalf("IHDR is %v %x", types[0], bodies[0])
			}
			rest := types[1:]
			if tc.dpi > 0 {
				want := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, tc.ppm), tc.ppm)
				if types[1] != "pHYs" || !bytes.Equal(bodies[1], append(want, 1)) {
					t.Fatalf("pHYs is %v %x, want %x01", types[1], bodies[1], want)
				}
				rest = types[2:]
			}
			idats := 0
			for i, typ := range rest {
				switch {
				case typ == "IDAT":
					idats++
					if n := lengths[len(types)-len(rest)+i]; n > 64<<10 {
						t.Fatalf("an IDAT of %d bytes", n)
					}
				case typ == "IEND" && i == len(rest)-1:
				default:
					t.Fatalf("chunks %v", types)
				}
			}
			if idats < 2 {
				t.Fatalf("%d IDAT chunks for %d bytes", idats, len(data))
			}
		})
	}
}

// TestEncodeZlib: the image data is one complete zlib stream, its
// checksum right, holding each row with filter type 0.
func TestEncodeZlib(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	bm := randomBitmap(r, 333, 222)
	data := encode(t, bm, 50, codec.WriteOptions{})
	types, _, bodies := chunks(t, data)
	var z []byte
	for i, typ := range types {
		if typ == "IDAT" {
			z = append(z, bodies[i]...)
		}
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr) // checks the checksum at the end
	if err != nil {
		t.Fatal(err)
	}
	stride := bitmap.PackedStride(333)
	if len(raw) != 222*(1+stride) {
		t.Fatalf("%d bytes of rows, want %d", len(raw), 222*(1+stride))
	}
	for y := range 222 {
		row := raw[y*(1+stride):]
		if row[0] != 0 {
			t.Fatalf("row %d has filter type %d", y, row[0])
		}
		if want := bitmap.AppendRowBytes(nil, bm.Row(y), stride); !bytes.Equal(row[1:1+stride], want) {
			t.Fatalf("row %d differs", y)
		}
	}
}

// TestEncoderMisuse: sizes PNG cannot hold, bands that do not fit, and a
// Close before the last row are errors.
func TestEncoderMisuse(t *testing.T) {
	for _, size := range [][2]int{{0, 5}, {5, 0}, {65536, 1}, {-1, 3}} {
		if _, err := png.NewEncoder(&bytes.Buffer{}, size[0], size[1], codec.WriteOptions{}); err == nil {
			t.Errorf("a %dx%d encoder", size[0], size[1])
		}
	}
	for _, opt := range []codec.WriteOptions{{DPI: -1}, {Compression: "g4"}} {
		if _, err := png.NewEncoder(&bytes.Buffer{}, 5, 5, opt); err == nil {
			t.Errorf("an encoder with options %+v", opt)
		}
	}
	enc, err := png.NewEncoder(&bytes.Buffer{}, 10, 4, codec.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wide, _ := bitmap.New(11, 1)
	if enc.WriteRows(wide) == nil {
		t.Error("a band of another width was written")
	}
	band, _ := bitmap.New(10, 3)
	if err := enc.WriteRows(band); err != nil {
		t.Fatal(err)
	}
	if enc.WriteRows(band) == nil {
		t.Error("rows past the last were written")
	}
	if enc.Close() == nil {
		t.Error("closed with a row missing")
	}
}
