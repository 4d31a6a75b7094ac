package write_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/tiff"
	"github.com/rlec/rlec/internal/codec/tiff/write"
)

// fileBuf is an in-memory file: Write writes at its offset and moves it,
// WriteAt writes anywhere, as an *os.File does.
type fileBuf struct {
	data []byte
	off  int64
}

func (f *fileBuf) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	if end := off + int64(len(p)); end > int64(len(f.data)) {
		f.data = append(f.data, make([]byte, end-int64(len(f.data)))...)
	}
	return copy(f.data[off:], p), nil
}

func (f *fileBuf) Write(p []byte) (int, error) {
	n, err := f.WriteAt(p, f.off)
	f.off += int64(n)
	return n, err
}

// stream hides a writer's other methods, as a pipe has none.
type stream struct{ w io.Writer }

func (s stream) Write(p []byte) (int, error) { return s.w.Write(p) }

// pipeFile is a file that cannot be written at offsets: an *os.File that
// is a pipe, or a file opened to append.
type pipeFile struct{ bytes.Buffer }

func (*pipeFile) WriteAt([]byte, int64) (int, error) { return 0, errors.New("illegal seek") }

// picture makes a width×height bitmap: "noise", "text" (white with black
// marks), "white" or "black".
func picture(r *rand.Rand, kind string, width, height int) *bitmap.Bitmap {
	bm, _ := bitmap.New(width, height)
	for y := range height {
		for x := range width {
			var white bool
			switch kind {
			case "noise":
				white = r.IntN(2) == 0
			case "text":
				white = !((y/7)%3 == 1 && (x/5)%4 != 0 && r.IntN(8) > 0)
			case "white":
				white = true
			}
			bm.Set(x, y, white)
		}
	}
	return bm
}

// encode writes bm through an encoder to w, in bands of random heights.
func encode(t testing.TB, r *rand.Rand, w io.Writer, bm *bitmap.Bitmap, opt codec.WriteOptions) {
	t.Helper()
	enc, err := write.NewEncoder(w, bm.Width, bm.Height, opt)
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < bm.Height; {
		n := min(bm.Height-y, 1+r.IntN(40))
		if err := enc.WriteRows(bm.Band(y, y+n)); err != nil {
			t.Fatal(err)
		}
		y += n
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestRoundTrip: bitmaps of odd sizes, written with every compression,
// with and without a resolution, to a file and to a stream, give the same
// bytes both ways, and read back to the same bits.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	sizes := [][2]int{{1, 1}, {7, 3}, {63, 2}, {64, 64}, {65, 1}, {129, 300}, {1000, 37}, {3001, 5}, {65535, 2}, {9, 2000}}
	for _, size := range sizes {
		for _, kind := range []string{"noise", "text", "white", "black"} {
			bm := picture(r, kind, size[0], size[1])
			for _, comp := range []string{"", "g4", "packbits", "none"} {
				for _, dpi := range []int{0, 300} {
					name := fmt.Sprintf("%dx%d/%s/%s/%d", size[0], size[1], kind, comp, dpi)
					t.Run(name, func(t *testing.T) {
						opt := codec.WriteOptions{Compression: comp, DPI: dpi}
						var file fileBuf
						var buf bytes.Buffer
						var pipe pipeFile
						encode(t, r, &file, bm, opt)
						encode(t, r, stream{&buf}, bm, opt)
						encode(t, r, &pipe, bm, opt)
						if !bytes.Equal(file.data, buf.Bytes()) || !bytes.Equal(file.data, pipe.Bytes()) {
							t.Fatalf("file (%d bytes), stream (%d) and pipe (%d) differ", len(file.data), buf.Len(), pipe.Len())
						}
						got, err := tiff.Decode(bytes.NewReader(file.data), int64(len(file.data)))
						if err != nil {
							t.Fatal(err)
						}
						if !got.Equal(bm) {
							t.Fatal("read back to other pixels")
						}
					})
				}
			}
		}
	}
}

// ifdField is an IFD entry: type, count, and its values.
type ifdField struct {
	typ   uint16
	count uint32
	vals  []uint64 // rationals as numerator<<32 | denominator
}

// readIFD parses the one IFD of a little-endian classic TIFF, checking
// that it is one, sorted, and that nothing follows it.
func readIFD(t *testing.T, data []byte) map[uint16]ifdField {
	t.Helper()
	le := binary.LittleEndian
	if string(data[:4]) != "II*\x00" {
		t.Fatalf("header %q", data[:4])
	}
	off := le.Uint32(data[4:])
	if off%2 != 0 {
		t.Fatalf("IFD at odd offset %d", off)
	}
	n := int(le.Uint16(data[off:]))
	fields := map[uint16]ifdField{}
	last := -1
	for i := range n {
		e := data[int(off)+2+12*i:]
		tag, typ, count := le.Uint16(e), le.Uint16(e[2:]), le.Uint32(e[4:])
		if int(tag) <= last {
			t.Fatalf("tag %d after %d", tag, last)
		}
		last = int(tag)
		size := map[uint16]int{3: 2, 4: 4, 5: 8}[typ]
		val := e[8:12]
		if int(count)*size > 4 {
			val = data[le.Uint32(e[8:]):]
		}
		f := ifdField{typ: typ, count: count}
		for k := range int(count) {
			switch typ {
			case 3:
				f.vals = append(f.vals, uint64(le.Uint16(val[2*k:])))
			case 4:
				f.vals = append(f.vals, uint64(le.Uint32(val[4*k:])))
			case 5:
				f.vals = append(f.vals, uint64(le.Uint32(val[8*k:]))<<32|uint64(le.Uint32(val[8*k+4:])))
			}
		}
		fields[tag] = f
	}
	if next := le.Uint32(data[int(off)+2+12*n:]); next != 0 {
		t.Fatalf("a next IFD at %d", next)
	}
	return fields
}

// TestFields: the IFD has the fields libtiff writes for a bilevel image,
// min-is-white, the strips laid out as libtiff lays them out, and the
// resolution only when there is one.
func TestFields(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	tests := []struct {
		comp      string
		w, h, dpi int
		number    uint64
		rps       uint64
	}{
		{"", 5610, 100, 0, 4, 100},
		{"g4", 100, 5000, 660, 4, 5000},
		{"packbits", 5610, 100, 300, 32773, 11},
		{"packbits", 64, 3000, 0, 32773, 1024},
		{"none", 65535, 3, 72, 1, 1},
		{"none", 10, 10, 0, 1, 10},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%dx%d/%d", tt.comp, tt.w, tt.h, tt.dpi), func(t *testing.T) {
			var file fileBuf
			encode(t, r, &file, picture(r, "text", tt.w, tt.h), codec.WriteOptions{Compression: tt.comp, DPI: tt.dpi})
			fs := readIFD(t, file.data)
			one := func(tag uint16, want uint64) {
				t.Helper()
				if f := fs[tag]; len(f.vals) != 1 || f.vals[0] != want {
					t.Errorf("tag %d: %v, want %d", tag, f.vals, want)
				}
			}
			one(256, uint64(tt.w))
			one(257, uint64(tt.h))
			one(258, 1)
			one(259, tt.number)
			one(262, 0)
			one(266, 1)
			one(277, 1)
			one(278, tt.rps)
			one(284, 1)
			strips := (uint64(tt.h) + tt.rps - 1) / tt.rps
			offs, counts := fs[273].vals, fs[279].vals
			if uint64(len(offs)) != strips || uint64(len(counts)) != strips {
				t.Fatalf("%d offsets, %d byte counts, want %d", len(offs), len(counts), strips)
			}
			end := uint64(8)
			for i := range offs {
				if offs[i] != end {
					t.Fatalf("strip %d at %d, want %d", i, offs[i], end)
				}
				end += counts[i]
			}
			if tt.dpi > 0 {
				one(282, uint64(tt.dpi)<<32|1)
				one(283, uint64(tt.dpi)<<32|1)
				one(296, 2)
			} else if _, ok := fs[282]; ok {
				t.Error("a resolution with DPI 0")
			}
			if len(fs) != 11+3*min(tt.dpi, 1) {
				t.Errorf("%d fields", len(fs))
			}
		})
	}
}

// TestErrors: options, sizes and calls the encoder refuses.
func TestErrors(t *testing.T) {
	newEnc := func(comp string, w, h, dpi int) error {
		_, err := write.NewEncoder(io.Discard, w, h, codec.WriteOptions{Compression: comp, DPI: dpi})
		return err
	}
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"compression", newEnc("lzw", 10, 10, 0), `"lzw": rlec writes g4 (the default), packbits or none`},
		{"capitals", newEnc("G4", 10, 10, 0), "packbits or none"},
		{"no width", newEnc("g4", 0, 10, 0), "0x10"},
		{"too high", newEnc("g4", 10, 65536, 0), "10x65536"},
		{"negative dpi", newEnc("g4", 10, 10, -1), "-1 dpi"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
				t.Fatalf("got %v, want an error with %q", tt.err, tt.want)
			}
		})
	}
	for _, comp := range []string{"g4", "packbits", "none"} {
		t.Run(comp, func(t *testing.T) {
			bm := picture(nil, "white", 20, 10)
			enc, _ := write.NewEncoder(io.Discard, 20, 10, codec.WriteOptions{Compression: comp})
			if err := enc.WriteRows(picture(nil, "white", 21, 1)); err == nil {
				t.Error("a band of another width was taken")
			}
			if err := enc.WriteRows(bm.Band(0, 5)); err != nil {
				t.Fatal(err)
			}
			if err := enc.Close(); err == nil || !strings.Contains(err.Error(), "5 of the image's 10 rows") {
				t.Errorf("closed early: got %v", err)
			}
			enc, _ = write.NewEncoder(io.Discard, 20, 10, codec.WriteOptions{Compression: comp})
			if err := enc.WriteRows(picture(nil, "white", 20, 11)); err == nil {
				t.Error("11 rows taken for 10")
			}
			enc.WriteRows(bm)
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			if err := enc.Close(); err == nil {
				t.Error("closed twice")
			}
			if err := enc.WriteRows(bm.Band(0, 1)); err == nil {
				t.Error("a row taken after Close")
			}
		})
	}
}

// failing fails its writes after n bytes.
type failing struct{ n int }

var errFull = errors.New("disk full")

func (f *failing) Write(p []byte) (int, error) {
	if len(p) > f.n {
		n := f.n
		f.n = 0
		return n, errFull
	}
	f.n -= len(p)
	return len(p), nil
}

type failingAt struct{ failing }

func (f *failingAt) WriteAt(p []byte, _ int64) (int, error) {
	if f.n == 0 {
		return 0, errFull
	}
	return f.Write(p)
}

// TestWriteErrors: a writer's error comes back from the call that met
// it, or from a later one, never lost.
func TestWriteErrors(t *testing.T) {
	bm := picture(rand.New(rand.NewPCG(5, 6)), "noise", 2000, 300)
	for _, comp := range []string{"g4", "packbits", "none"} {
		for _, n := range []int{4, 100, 40000, 70000} {
			for _, at := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%d/%v", comp, n, at), func(t *testing.T) {
					var w io.Writer = &failing{n}
					if at {
						w = &failingAt{failing{n}}
					}
					enc, err := write.NewEncoder(w, bm.Width, bm.Height, codec.WriteOptions{Compression: comp})
					if err == nil {
						err = enc.WriteRows(bm)
						if err == nil {
							err = enc.Close()
						}
					}
					if !errors.Is(err, errFull) {
						t.Fatalf("got %v, want %v", err, errFull)
					}
				})
			}
		}
	}
}

// discardAt is a file that keeps nothing.
type discardAt struct{ n int64 }

func (d *discardAt) Write(p []byte) (int, error) { d.n += int64(len(p)); return len(p), nil }
func (d *discardAt) WriteAt(p []byte, off int64) (int, error) {
	d.n = max(d.n, off+int64(len(p)))
	return len(p), nil
}

// TestFileMemory: written to a file, a large image takes memory for a
// row and the coders' buffers, whatever its size.
func TestFileMemory(t *testing.T) {
	const w, h = 65535, 4000
	band := picture(rand.New(rand.NewPCG(9, 9)), "text", w, 50)
	for _, comp := range []string{"g4", "packbits", "none"} {
		t.Run(comp, func(t *testing.T) {
			var out discardAt
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			enc, err := write.NewEncoder(&out, w, h, codec.WriteOptions{Compression: comp})
			if err != nil {
				t.Fatal(err)
			}
			for y := 0; y < h; y += band.Height {
				if err := enc.WriteRows(band); err != nil {
					t.Fatal(err)
				}
			}
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d bytes written with %d bytes allocated", out.n, alloc)
			if alloc > 2<<20 || out.n < 1<<20 {
				t.Fatalf("%d bytes written with %d bytes allocated", out.n, alloc)
			}
		})
	}
}
