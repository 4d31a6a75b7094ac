package jpeg_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/codec"
	rljpeg "github.com/rlec/rlec/internal/codec/jpeg"
	"github.com/rlec/rlec/internal/conformance"
)

// refused checks that data is recognised as JPEG and refused by name.
func refused(t *testing.T, name string, data []byte) {
	t.Helper()
	_, f, err := codec.Open(bytes.NewReader(data), int64(len(data)))
	if f == nil || f.Name != "JPEG" || err == nil || !strings.HasPrefix(err.Error(), "JPEG: not read yet (rlec reads ") {
		t.Errorf("%s: format %v, error %v", name, f, err)
	}
}

// TestRefused: a JPEG is recognised and refused by name, whatever it is
// called, and its extensions are not offered as readable.
func TestRefused(t *testing.T) {
	for _, m := range []image.Image{image.NewGray(image.Rect(0, 0, 8, 8)), image.NewRGBA(image.Rect(0, 0, 17, 5))} {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, m, nil); err != nil {
			t.Fatal(err)
		}
		refused(t, "made here", buf.Bytes())
	}
	if codec.ByExt(".jpg") != nil || codec.ByExt(".JPEG") != nil {
		t.Error("a JPEG extension is offered as readable")
	}
	for _, head := range [][]byte{{0xff, 0xd8}, {0xff, 0xd9, 0xff}, {0xd8, 0xff, 0xff}} {
		if _, f, _ := codec.Open(bytes.NewReader(head), int64(len(head))); f != nil {
			t.Errorf("% x is taken for %s", head, f.Name)
		}
	}
}

// TestRefusedConformance: so are the conformance JPEGs.
func TestRefusedConformance(t *testing.T) {
	files := conformance.Files(t, "formats/jpg_*/*")
	files = append(files, conformance.Files(t, "formats/page_jpeggray/*")...)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		refused(t, filepath.Base(f), data)
	}
}

// FuzzDecode: whatever the bytes, recognising them never panics, and a
// file that starts as a JPEG is refused by name.
func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 3, 3)), nil)
	f.Add(buf.Bytes())
	f.Add([]byte{0xff, 0xd8, 0xff})
	f.Add([]byte("GIF89a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, f, err := codec.Open(bytes.NewReader(data), int64(len(data)))
		if rljpeg.Match(data) && (f == nil || f.Name != "JPEG" || err == nil) {
			t.Fatalf("a JPEG head gave format %v, error %v", f, err)
		}
	})
}
