package png_test

import (
	"bytes"
	"compress/zlib"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/png"
	"github.com/rlec/rlec/internal/testkit"
)

// endless is a zlib stream of 16 KiB that inflates to 16 MiB of zeros:
// far more than the images it is given to need.
var endless = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	z, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
	z.Write(make([]byte, 1<<24))
	z.Close()
	return b.Bytes()
})

// TestHugeClaims: small files that claim huge images are read with little
// memory, a band at a time, or refused before anything is allocated for
// the image.
func TestHugeClaims(t *testing.T) {
	tiny := deflate(make([]byte, 3*(1+65535)))
	for _, tc := range []struct {
		name   string
		data   []byte
		refuse bool // at Open or at the first band
	}{
		// A stream that ends on a row boundary leaves the rest zero.
		{"grey 8, three rows of data", file(ihdr(65535, 65535, 8, 0, 0), chunk("IDAT", tiny), iend()), false},
		{"grey 8, three rows of data cut short", file(ihdr(65535, 65535, 8, 0, 0), chunk("IDAT", tiny[:len(tiny)-8]), iend()), true},
		{"RGBA 16, three rows of data", file(ihdr(65535, 65535, 16, 6, 0), chunk("IDAT", tiny), iend()), true},
		{"interlaced grey 8", file(ihdr(65535, 65535, 8, 0, 1), chunk("IDAT", tiny), iend()), true},
		{"interlaced grey 1", file(ihdr(65535, 65535, 1, 0, 1), chunk("IDAT", tiny), iend()), true},
		{"1-bit, data that never ends", file(ihdr(65535, 65535, 1, 0, 0), chunk("IDAT", endless()), iend()), false},
		{"grey 8, data that never ends", file(ihdr(65535, 65535, 8, 0, 0), chunk("IDAT", endless()), iend()), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			n := testkit.Allocated(func() {
				var img codec.Image
				img, err = png.Open(bytes.NewReader(tc.data), int64(len(tc.data)))
				if err != nil {
					return
				}
				w, _ := img.Size()
				band, _ := bitmap.New(w, 8)
				for range 4 {
					if err = img.ReadRows(band); err != nil {
						return
					}
				}
			})
			if tc.refuse && err == nil {
				t.Error("read")
			}
			if !tc.refuse && err != nil {
				t.Errorf("refused: %v", err)
			}
			t.Logf("%v; %d KiB allocated", err, n>>10)
			if n > 8<<20 {
				t.Errorf("%d MiB allocated", n>>20)
			}
		})
	}
}

// TestEndlessData: data that inflates far past the image is cut at the
// rows the image needs, without inflating the rest.
func TestEndlessData(t *testing.T) {
	data := file(ihdr(100, 100, 8, 0, 0), chunk("IDAT", endless()), iend())
	bm, err := decode(data)
	if err != nil {
		t.Fatal(err)
	}
	for y := range bm.Height {
		for _, w := range bm.Row(y) {
			if w != 0 {
				t.Fatal("zero grey levels are not all black")
			}
		}
	}
}

// TestRefusals: truncations, bad sizes and the chunk order Pillow refuses
// give errors that say what is wrong.
func TestRefusals(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	im := randomImage(r, 40, 20, 8, 2, 0)
	good := im.file(false, func(i int) byte { return byte(i % 5) })
	z := deflate(im.data(false, func(int) byte { return 0 }))
	hdr := ihdr(40, 20, 8, 2, 0)
	for _, tc := range []struct {
		name, data, msg string
	}{
		{"truncated in the signature", string(good[:5]), "not a PNG"},
		{"truncated in IHDR", string(good[:20]), "cut short"},
		{"truncated before IDAT", string(good[:33]), "ends before the image data"},
		{"truncated in the image data", string(good[:60]), "ends in row"},
		{"bad IHDR checksum", string(file(chunkCRC("IHDR", ihdrData(40, 20, 8, 2, 0), 0), chunk("IDAT", z))), "bad checksum in the IHDR"},
		{"bit depth 3", string(file(ihdr(40, 20, 3, 0, 0), chunk("IDAT", z))), "unsupported bit depth 3 for colour type 0"},
		{"RGB of 4 bits", string(file(ihdr(40, 20, 4, 2, 0), chunk("IDAT", z))), "unsupported bit depth 4 for colour type 2"},
		{"no IHDR", string(file(chunk("IDAT", z))), "no IHDR"},
		{"empty", string(file(ihdr(0, 20, 8, 2, 0), chunk("IDAT", z))), "empty image"},
		{"too wide", string(file(ihdr(65536, 20, 8, 2, 0), chunk("IDAT", z))), "over rlec's limit"},
		{"filter method", string(file(chunk("IHDR", append(ihdrData(40, 20, 8, 2, 0)[:11], 1, 0)), chunk("IDAT", z))), "filter method 1"},
		{"IEND first", string(file(hdr, iend(), chunk("IDAT", z))), "no image data before IEND"},
		{"a bad chunk type", string(file(hdr, chunk("a b.", nil), chunk("IDAT", z))), "bad chunk type"},
		{"not zlib", string(file(hdr, chunk("IDAT", []byte("not zlib at all")))), "not a zlib stream"},
		{"bad filter type", string(file(hdr, chunk("IDAT", deflate(bytes.Repeat([]byte{7}, 121*20))))), "unknown filter type 7"},
		{"bad zlib checksum", string(file(hdr, chunk("IDAT", append(z[:len(z)-1:len(z)-1], z[len(z)-1]^1)))), "checksum"},
		{"text chunk after the image cut short", string(append(file(hdr, chunk("IDAT", z)), "\x00\x00\x01\x00tEXtab"...)), "cut short"},
		{"huge text chunk", string(append(file(hdr), "\x7f\x00\x00\x00tEXt"...)), "cut short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decode([]byte(tc.data))
			if err == nil {
				t.Fatal("read")
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}

// TestDamagedConformance: conformance files cut short anywhere, or with
// bytes changed, give an error or an image, never a panic, with little
// memory.
func TestDamagedConformance(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for in := range conformanceFiles(t) {
		data, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > 64<<10 {
			continue
		}
		var limit uint64 = 4 << 20
		if bm, err := decode(data); err == nil {
			limit += 2 * uint64(len(bm.Words)*8)
		}
		for i := range 12 {
			damaged := bytes.Clone(data)
			if i%2 == 0 {
				damaged = damaged[:r.IntN(len(data))]
			} else {
				for range 1 + r.IntN(4) {
					damaged[r.IntN(len(damaged))] ^= byte(1 + r.IntN(255))
				}
			}
			n := testkit.Allocated(func() { decode(damaged) })
			if n > limit {
				t.Errorf("%s, damaged (%d): %d MiB allocated", in, i, n>>20)
			}
		}
	}
}

// TestStreamEOF: a stream of unknown length is read to its end, and no
// further.
func TestStreamEOF(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	im := randomImage(r, 30, 10, 1, 0, 0)
	data := im.file(false, func(int) byte { return 0 })
	bm, err := png.Decode(&eofReader{data}, -1)
	if err != nil {
		t.Fatal(err)
	}
	if !bm.Equal(im.want()) {
		t.Fatal("pixels differ")
	}
}

// eofReader is a ReaderAt that fails reads past its end with io.EOF and
// nothing read, as a stream does.
type eofReader struct{ data []byte }

func (e *eofReader) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(e.data)) {
		return 0, io.EOF
	}
	n := copy(p, e.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}
