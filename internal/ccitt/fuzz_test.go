package ccitt

import (
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/rlec/rlec/internal/bitmap"
)

// codings are the decoder's layouts, as the fuzz target numbers them.
var codings = []Options{
	{Coding: ModifiedHuffman},
	{Coding: T4},
	{Coding: T4, FillBits: true},
	{Coding: T4, TwoD: true},
	{Coding: T4, TwoD: true, FillBits: true},
	{Coding: T6},
}

// checkDecode decodes data as far as it goes and checks what a decoder
// must do whatever the data: stop, with io.EOF or an *Error, after at most
// one row per bit of data.
func checkDecode(t testing.TB, data []byte, opt Options) {
	d, err := NewDecoder(data, opt)
	if err != nil {
		t.Fatal(err)
	}
	row := make([]uint64, bitmap.WordsPerRow(opt.Width))
	for y := 0; ; y++ {
		err := d.ReadRow(row)
		if err == io.EOF {
			return
		}
		var fe *Error
		if err != nil {
			if !errors.As(err, &fe) {
				t.Fatalf("row %d: error of type %T: %v", y, err, err)
			}
			return
		}
		if row[len(row)-1]&^bitmap.TailMask(opt.Width) != 0 {
			t.Fatalf("row %d has bits set past the width", y)
		}
		if y > 8*len(data)+1 {
			t.Fatalf("%d rows from %d bytes", y, len(data))
		}
	}
}

func FuzzDecode(f *testing.F) {
	r := rand.New(rand.NewPCG(5, 6))
	for i, opt := range codings {
		bm := blobBitmap(r, 40+i*30, 12)
		var data []byte
		if opt.Coding == T6 {
			data = encodeT6(f, bm)
		} else {
			data = encodeT4(bm, opt, 3, t4Variant{rtc: i%2 == 0})
		}
		f.Add(data, uint8(i), uint16(bm.Width), uint8(bm.Height))
		f.Add(data, uint8(i), uint16(bm.Width), uint8(0))
		f.Add(encodeT6(f, noiseBitmap(r, 17, 5)), uint8(len(codings)-1), uint16(17), uint8(5))
	}
	for _, s := range conformanceSeeds() {
		f.Add(s.data, s.coding, s.width, s.height)
	}
	f.Fuzz(func(t *testing.T, data []byte, coding uint8, width uint16, height uint8) {
		opt := codings[int(coding)%len(codings)]
		opt.Width = 1 + int(width)%4096
		opt.Height = int(height)
		checkDecode(t, data, opt)
		if opt.Coding != T6 || opt.Height == 0 {
			return
		}
		// What decodes codes again to the same rows.
		bm, err := decodeAll(data, opt)
		if err != io.EOF {
			return
		}
		again, err := decodeAll(encodeT6(t, bm), opt)
		if err != io.EOF || !again.Equal(bm) {
			t.Fatalf("coding the decoded rows again gives other rows (%v)", err)
		}
	})
}

type seed struct {
	data   []byte
	coding uint8
	width  uint16
	height uint8
}

// conformanceSeeds are the strips of the small CCITT conformance TIFFs,
// when the conformance data is there (as conformance.Dir finds it, which
// cannot be called here without skipping the fuzz target).
func conformanceSeeds() []seed {
	dir := os.Getenv("RLEC_CONFORMANCE")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "conformance")
	}
	var seeds []seed
	for _, s := range conformanceStrips(ccittFiles(dir)) {
		if len(s.data) > 2048 || s.opt.Height > 255 || s.opt.Width > 4096 {
			continue
		}
		for i, o := range codings {
			if o.Coding == s.opt.Coding && o.TwoD == s.opt.TwoD && o.FillBits == s.opt.FillBits {
				seeds = append(seeds, seed{s.data, uint8(i), uint16(s.opt.Width - 1), uint8(s.opt.Height)})
			}
		}
	}
	return seeds
}

type strip struct {
	name string
	data []byte
	opt  Options
}

// conformanceStrips are the strips and tiles of files.
func conformanceStrips(files map[string]string) []strip {
	var out []strip
	for f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		tt, err := parseTestTIFF(data)
		if err != nil {
			continue
		}
		for i, c := range tt.chunks {
			w, h := tt.width, min(tt.rowsPerStrip, tt.height-i*tt.rowsPerStrip)
			if tt.tileW != 0 {
				w, h = tt.tileW, tt.tileH
			}
			opt, err := tt.options(w, h)
			if err != nil {
				continue
			}
			out = append(out, strip{f, c, opt})
		}
	}
	return out
}

// TestCorruptStrips decodes the conformance strips cut short and with
// bytes changed: errors or rows, never a panic, a hang or a large
// allocation.
func TestCorruptStrips(t *testing.T) {
	strips := conformanceStrips(conformanceFiles(t))
	r := rand.New(rand.NewPCG(9, 9))
	var before, after runtime.MemStats
	for _, s := range strips {
		for i := range 20 {
			data := append([]byte(nil), s.data...)
			switch {
			case i < 5:
				data = data[:r.IntN(len(data)+1)]
			default:
				for range 1 + i%4 {
					if len(data) > 0 {
						data[r.IntN(len(data))] ^= byte(1 + r.IntN(255))
					}
				}
			}
			runtime.ReadMemStats(&before)
			checkDecode(t, data, s.opt)
			runtime.ReadMemStats(&after)
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
				t.Fatalf("%s: decoding a %d-byte strip allocated %d bytes", s.name, len(data), grew)
			}
		}
	}
}

// TestJunk decodes random bytes and long runs of one byte in every
// coding: each must end soon, in an error or io.EOF.
func TestJunk(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	inputs := map[string][]byte{
		"zeros": make([]byte, 1<<12),
		"ones":  repeatByte(0xff, 1<<12),
		"0x80":  repeatByte(0x80, 1<<12),
		"0x01":  repeatByte(0x01, 1<<12),
		"empty": nil,
	}
	random := make([]byte, 1<<12)
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	inputs["random"] = random
	for name, data := range inputs {
		for _, opt := range codings {
			for _, size := range [][2]int{
				{1, 0}, {7, 0}, {1728, 0}, {1, 1}, {1728, 1}, {1, 65535}, {1728, 65535},
				{MaxWidth, 1}, {MaxWidth, 2}, // a row per bit of data would be slow here
			} {
				opt.Width, opt.Height = size[0], size[1]
				start := time.Now()
				checkDecode(t, data, opt)
				if d := time.Since(start); d > 2*time.Second {
					t.Errorf("%s, %v: %v", name, opt, d)
				}
			}
		}
	}
}

func repeatByte(b byte, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = b
	}
	return out
}

// TestDecoderMemory checks that a decoder's memory is a few rows' worth,
// whatever height the options claim.
func TestDecoderMemory(t *testing.T) {
	data := encodeT6(t, flatBitmap(1728, 4, true))
	allocs := testing.AllocsPerRun(10, func() {
		d, _ := NewDecoder(data, Options{Coding: T6, Width: 1728, Height: 65535})
		row := make([]uint64, 27)
		for d.ReadRow(row) == nil {
		}
	})
	if allocs > 10 {
		t.Errorf("%v allocations to decode 4 rows", allocs)
	}
	row := make([]uint64, bitmap.WordsPerRow(MaxWidth))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	d, _ := NewDecoder(data, Options{Coding: T6, Width: MaxWidth, Height: 65535})
	for d.ReadRow(row) == nil {
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > uint64(3*4*MaxWidth+4096) {
		t.Errorf("a decoder of %d-pixel rows allocated %d bytes", MaxWidth, grew)
	}
}
