package main

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/fileio"
)

// writeFlags are the flags that say what a decompression writes.
type writeFlags struct {
	format      string
	compression string
	dpi         int
}

// compressions are the values of --compression, for TIFF outputs.
var compressions = []string{"g4", "packbits", "none"}

func (f *writeFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.format, "format", "", "the format to write: "+strings.Join(codec.Writers(), ", ")+" (default: from OUT's extension, else bmp)")
	cmd.Flags().StringVar(&f.compression, "compression", "", "TIFF compression: "+strings.Join(compressions, ", ")+" (default g4)")
	cmd.Flags().IntVar(&f.dpi, "dpi", 0, "the resolution to record, in dots per inch (BMP, PNG, TIFF; default: none, or 72 in BMP)")
}

// resolve says which format to write to out ("" when it is not named yet,
// or fileio.Stdio): the one its extension asks for, which --format must
// not contradict, else --format's, else BMP. An extension no format writes
// is a usage error, so that no file is made under a misleading name.
func (f *writeFlags) resolve(out string) (string, codec.WriteOptions, error) {
	opt := codec.WriteOptions{DPI: f.dpi, Compression: f.compression}
	var chosen *codec.Format
	if f.format != "" {
		if chosen = codec.Writer(f.format); chosen == nil {
			return "", opt, usagef("--format %q: rlec writes %s", f.format, strings.Join(codec.Writers(), ", "))
		}
	}
	if ext := filepath.Ext(out); out != "" && out != fileio.Stdio && ext != "" {
		named := codec.WriterFor(ext)
		switch {
		case named == nil:
			return "", opt, usagef("%s: rlec writes no format named %s; it writes %s", out, ext, writeExts())
		case chosen != nil && chosen != named:
			return "", opt, usagef("%s: named as %s, but --format says %s", out, named.Writes, chosen.Writes)
		}
		chosen = named
	}
	if chosen == nil {
		chosen = codec.Writer("bmp")
	}
	if f.compression != "" && (chosen.Writes != "tiff" || !slices.Contains(compressions, f.compression)) {
		return "", opt, usagef("--compression %q: TIFF outputs take %s", f.compression, strings.Join(compressions, ", "))
	}
	if f.dpi < 0 {
		return "", opt, usagef("--dpi must be 0 (none) or more, not %d", f.dpi)
	}
	return chosen.Writes, opt, nil
}

// writeExts lists the extensions of the outputs rlec writes: ".bmp, .pbm".
func writeExts() string {
	var exts []string
	for _, name := range codec.Writers() {
		exts = append(exts, codec.Writer(name).WriteExts...)
	}
	return strings.Join(exts, ", ")
}

// namedAsImage reports whether out's name is an image's, which compress,
// writing .rle data, must not take: rlec compress -f a.bmp b.bmp would
// replace the image b.bmp with .rle data.
func namedAsImage(out string) bool {
	ext := strings.ToLower(filepath.Ext(out))
	return out != fileio.Stdio && ext != "" && (slices.Contains(codec.AllExts(), ext) || codec.WriterFor(ext) != nil)
}
