package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/strategy"
)

// TestDecompressToEveryFormat: a .rle file decompressed to each format rlec
// writes, under every strategy, to a named file and to standard output,
// reads back, through rlec's own readers, to the same .rle bytes.
func TestDecompressToEveryFormat(t *testing.T) {
	_, want := golden(t, "checker")
	page := writeFile(t, filepath.Join(t.TempDir(), "page.rle"), want)
	big := writeFile(t, filepath.Join(t.TempDir(), "big.rle"), []byte(rlec(t, samplePage(t), "compress", "-", "-").stdout))
	for _, format := range codec.Writers() {
		for _, s := range strategy.Names() {
			t.Run(format+"/"+s, func(t *testing.T) {
				for _, in := range []string{page, big} {
					wantRLE, _ := os.ReadFile(in)
					out := filepath.Join(t.TempDir(), "out"+codec.Writer(format).WriteExts[0])
					if r := rlec(t, nil, "decompress", "-s", s, in, out); r.code != 0 {
						t.Fatalf("%+v", r)
					}
					stream := rlec(t, nil, "decompress", "-s", s, "--format", format, in, "-")
					file, _ := os.ReadFile(out)
					if stream.code != 0 || stream.stdout != string(file) {
						t.Fatalf("to standard output: exit %d, %d bytes, the file has %d", stream.code, len(stream.stdout), len(file))
					}
					if back := rlec(t, file, "compress", "-", "-"); back.code != 0 || back.stdout != string(wantRLE) {
						t.Fatalf("%s reads back to other pixels: %+v", filepath.Base(in), back.stderr)
					}
				}
			})
		}
	}
}

// samplePage is the bundled sample page: large enough for several chunks.
func samplePage(t *testing.T) []byte {
	data, err := os.ReadFile("../../testdata/sample.bmp")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestOutputNames: decompress writes the format its output's name asks for
// and refuses a name no format it writes has; compress refuses to write
// .rle data under an image's name. Nothing is made when refused.
func TestOutputNames(t *testing.T) {
	bmp, rle := golden(t, "checker")
	dir := t.TempDir()
	in := writeFile(t, filepath.Join(dir, "page.rle"), rle)
	img := writeFile(t, filepath.Join(dir, "page.bmp"), bmp)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"decompress", in, filepath.Join(dir, "out.jpg")}, "rlec writes no format named .jpg"},
		{[]string{"decompress", in, filepath.Join(dir, "out.txt")}, "rlec writes no format named .txt"},
		{[]string{"decompress", "--format", "pbm", in, filepath.Join(dir, "out.bmp")}, "named as bmp, but --format says pbm"},
		{[]string{"decompress", "--format", "gif", in, filepath.Join(dir, "out")}, `--format "gif": rlec writes`},
		{[]string{"decompress", "--compression", "g4", in, filepath.Join(dir, "out.bmp")}, "TIFF outputs take"},
		{[]string{"decompress-dir", "--format", "jpeg", dir, filepath.Join(dir, "o")}, `--format "jpeg"`},
		{[]string{"compress", "-f", img, filepath.Join(dir, "out.bmp")}, "named as an image, but rlec compress writes .rle files"},
		{[]string{"compress", "-f", img, filepath.Join(dir, "out.PGM")}, "named as an image"},
	} {
		t.Run(strings.Join(tc.args[:1], " ")+" "+filepath.Base(tc.args[len(tc.args)-1]), func(t *testing.T) {
			r := rlec(t, nil, tc.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("%+v, want exit 2 and %q", r, tc.want)
			}
		})
	}
	if names := len(files(t, dir)); names != 2 {
		t.Errorf("%d files in the folder, want the 2 inputs", names)
	}
	// Without an output named, the format's extension names it.
	if r := rlec(t, nil, "decompress", "--format", "pbm", in); r.code != 0 {
		t.Fatalf("%+v", r)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "page.pbm")); err != nil || !bytes.HasPrefix(data, []byte("P4\n131 9\n")) {
		t.Errorf("page.pbm: %v", err)
	}
}

var updateWriters = flag.Bool("update", false, "rewrite testdata/golden/writers from the current writers")

// TestWritersGolden: a few golden images decompressed to each format rlec
// writes give the committed files, which libtiff, netpbm and Pillow were
// checked to read to the exact pixels (scripts/check-writers.sh) when they
// were made, with -update.
func TestWritersGolden(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "golden", "writers")
	if *updateWriters {
		os.MkdirAll(dir, 0o755)
	}
	for _, name := range []string{"checker", "width127", "height1"} {
		_, rle := golden(t, name)
		for _, format := range codec.Writers() {
			if format == "bmp" {
				continue // the golden inputs are BMPs already
			}
			file := name + codec.Writer(format).WriteExts[0]
			t.Run(file, func(t *testing.T) {
				r := rlec(t, rle, "decompress", "--format", format, "--dpi", "300", "-", "-")
				if r.code != 0 {
					t.Fatalf("%+v", r)
				}
				path := filepath.Join(dir, file)
				if *updateWriters {
					writeFile(t, path, []byte(r.stdout))
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (go test ./cmd/rlec -run TestWritersGolden -update makes the golden files)", err)
				}
				if r.stdout != string(want) {
					t.Errorf("differs from %s", path)
				}
			})
		}
	}
}
