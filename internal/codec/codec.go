// Package codec is the registry of the image formats rlec reads and writes,
// in the spirit of image.RegisterFormat: each format, in a package of its
// own below this one, registers its name, its file extensions, how to
// recognise its files by their first bytes, and how to open them.
//
// An opened Image says its size and hands out its rows, converted to black
// and white exactly as the reference does (package convert), band by band,
// top row first, straight into a bitset. Images whose rows can be read at
// any place, independently (1-bit rows stored uncompressed), also implement
// RowsAt, so that several goroutines can read one large image.
package codec

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/rlec/rlec/internal/bitmap"
)

// Image is an image file whose header has been read and checked.
type Image interface {
	// Size is the image's width and height, each in 1..bitmap.MaxDimension.
	Size() (width, height int)
	// ReadRows reads the next band.Height rows of the image into band,
	// whose width is the image's, converted to black and white. Rows come
	// top row first; a call after the last row, or a failed call, is an
	// error.
	ReadRows(band *bitmap.Bitmap) error
}

// RowsAt is implemented by images whose rows can be read in any order.
type RowsAt interface {
	// ReadRowsAt reads rows y0 .. y0+band.Height-1 into band. scratch is
	// space the call may use, returned (grown if need be) for the next
	// call. Calls for disjoint rows may run concurrently, and do not move
	// ReadRows along.
	ReadRowsAt(band *bitmap.Bitmap, y0 int, scratch []byte) ([]byte, error)
}

// Format is an image format.
type Format struct {
	// Name is the format as users know it: "BMP", "PNG", "TIFF".
	Name string
	// Exts are the file extensions of the format, lower case, with the
	// dot; the first is the one rlec gives the files it writes.
	Exts []string
	// Match reports whether a file starting with head is of this format.
	// head holds the file's first SniffLen bytes, or all of a shorter file.
	Match func(head []byte) bool
	// Open reads the header of the image in r and checks it. size is the
	// file's size, or -1 when r is a stream whose end is not yet known; a
	// read past the end of the data fails with io.EOF either way. Open, and
	// the Image it returns, never allocate in proportion to what the file
	// claims before checking that the file holds the data that claim needs
	// (see Available), so that a small file cannot make rlec use much
	// memory. Open is nil for formats rlec recognises but does not read;
	// Refusal then says why.
	Open func(r io.ReaderAt, size int64) (Image, error)
	// Refusal is the message for files of a format rlec does not read.
	Refusal string
	// Writes is what rlec writes in the format, as --format names it
	// ("bmp", "pbm"), or "" for formats rlec does not write; WriteExts are
	// the extensions of output names that ask for it, the first the one
	// rlec gives its outputs.
	Writes    string
	WriteExts []string
	// NewEncoder starts writing a width×height black-and-white image to w.
	NewEncoder func(w io.Writer, width, height int, opt WriteOptions) (Encoder, error)
	// Layout, for formats whose rows sit at fixed places in the file, says
	// where, so that several goroutines can write the rows of one image,
	// each at its place; nil for the others.
	Layout func(width, height int, opt WriteOptions) (*Layout, error)
}

// Layout describes a file whose rows sit at fixed places: after Header,
// every row in Stride bytes, from the top row or from the bottom one. A row
// holds its pixels most significant bit first, 1 for white (or for black
// when Invert is set), then zeros up to Stride.
type Layout struct {
	Header   []byte
	Stride   int
	Height   int
	BottomUp bool
	Invert   bool
}

// Size is the size of the file.
func (l *Layout) Size() int64 { return int64(len(l.Header)) + int64(l.Stride)*int64(l.Height) }

// RowOffset is where image row y (0 is the top row) starts in the file.
func (l *Layout) RowOffset(y int) int64 {
	if l.BottomUp {
		y = l.Height - 1 - y
	}
	return int64(len(l.Header)) + int64(y)*int64(l.Stride)
}

// Encoder writes a black-and-white image in a format, band by band, top
// row first, holding no more of the image than the format needs.
type Encoder interface {
	// WriteRows writes the next band.Height rows of the image.
	WriteRows(band *bitmap.Bitmap) error
	// Close writes what ends the file, after the last row. It does not
	// close the writer the encoder was made with.
	Close() error
}

// WriteOptions are the settings a written image may take.
type WriteOptions struct {
	// DPI is the resolution to record, in dots per inch; 0 leaves the
	// format's default.
	DPI int
	// Compression names the compression, for formats that have a choice
	// (TIFF: "g4", the default, "packbits" or "none"); "" is the default.
	Compression string
}

// SniffLen is how many bytes of a file Match sees.
const SniffLen = 64

var (
	mu      sync.RWMutex
	formats []*Format
)

// Register adds a format. Formats are matched in the order they were
// registered.
func Register(f *Format) {
	mu.Lock()
	defer mu.Unlock()
	formats = append(formats, f)
}

// Formats lists the registered formats, in registration order.
func Formats() []*Format {
	mu.RLock()
	defer mu.RUnlock()
	return slices.Clone(formats)
}

// Readable lists the formats rlec reads.
func Readable() []*Format {
	var out []*Format
	for _, f := range Formats() {
		if f.Open != nil {
			out = append(out, f)
		}
	}
	return out
}

// Names lists the names of the formats rlec reads, for messages:
// "BMP, PNG, TIFF".
func Names() string {
	var names []string
	for _, f := range Readable() {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}

// Sniff returns the format of a file starting with head, or nil.
func Sniff(head []byte) *Format {
	for _, f := range Formats() {
		if f.Match(head) {
			return f
		}
	}
	return nil
}

// ByExt returns the readable format whose extensions include ext (".TIF"
// and ".tif" alike), or nil.
func ByExt(ext string) *Format {
	ext = strings.ToLower(ext)
	for _, f := range Readable() {
		if slices.Contains(f.Exts, ext) {
			return f
		}
	}
	return nil
}

// Exts lists the extensions of every readable format.
func Exts() []string {
	var exts []string
	for _, f := range Readable() {
		exts = append(exts, f.Exts...)
	}
	return exts
}

// Hint says what a file starting with head is, for a message about a file
// that was taken for something else: "the file is a PNG image; rlec
// compress takes those", or "" when its first bytes name no format.
func Hint(head []byte) string {
	f := Sniff(head[:min(len(head), SniffLen)])
	switch {
	case f == nil:
		return ""
	case f.Open == nil:
		return fmt.Sprintf("the file is a %s image, which rlec does not read", f.Name)
	}
	return fmt.Sprintf("the file is a %s image; rlec compress takes those", f.Name)
}

// Writer returns the format that writes what name (as --format takes it:
// "bmp", "pbm") says, or nil.
func Writer(name string) *Format {
	for _, f := range Formats() {
		if f.Writes != "" && f.Writes == strings.ToLower(name) {
			return f
		}
	}
	return nil
}

// WriterFor returns the format an output name with the extension ext asks
// for (".TIF" and ".tif" alike), or nil.
func WriterFor(ext string) *Format {
	ext = strings.ToLower(ext)
	for _, f := range Formats() {
		if f.Writes != "" && slices.Contains(f.WriteExts, ext) {
			return f
		}
	}
	return nil
}

// Writers lists what rlec writes, as --format names them.
func Writers() []string {
	var names []string
	for _, f := range Formats() {
		if f.Writes != "" {
			names = append(names, f.Writes)
		}
	}
	return names
}

// AllExts lists the extensions of every format rlec knows, read or not.
func AllExts() []string {
	var exts []string
	for _, f := range Formats() {
		exts = append(exts, f.Exts...)
	}
	return exts
}

// ErrUnknown is a file of no format rlec recognises.
var ErrUnknown = errors.New("not an image rlec reads")

// Open recognises the format of the image in r by its first bytes and opens
// it. size is as for Format.Open. Its errors, and those of the image's
// ReadRows, say the format (Error).
func Open(r io.ReaderAt, size int64) (Image, *Format, error) {
	head := make([]byte, SniffLen)
	n, err := r.ReadAt(head, 0)
	if n < len(head) && err != nil && err != io.EOF {
		return nil, nil, err
	}
	f := Sniff(head[:n])
	if f == nil {
		if n == 0 {
			return nil, nil, fmt.Errorf("%w: the file is empty", ErrUnknown)
		}
		return nil, nil, fmt.Errorf("%w (it reads %s)", ErrUnknown, Names())
	}
	if f.Open == nil {
		return nil, f, &Error{Format: f.Name, Err: fmt.Errorf("%s (rlec reads %s)", f.Refusal, Names())}
	}
	img, err := f.Open(r, size)
	if err != nil {
		return nil, f, &Error{Format: f.Name, Err: err}
	}
	withName := named{img, f.Name}
	if at, ok := img.(RowsAt); ok {
		return namedAt{withName, at}, f, nil
	}
	return withName, f, nil
}

// named is an image whose errors say its format.
type named struct {
	Image
	format string
}

func (n named) ReadRows(band *bitmap.Bitmap) error {
	return n.wrap(n.Image.ReadRows(band))
}

func (n named) wrap(err error) error {
	if err == nil || errors.As(err, new(*Error)) {
		return err
	}
	return &Error{Format: n.format, Err: err}
}

// namedAt is a named image whose rows can be read in any order.
type namedAt struct {
	named
	at RowsAt
}

func (n namedAt) ReadRowsAt(band *bitmap.Bitmap, y0 int, scratch []byte) ([]byte, error) {
	scratch, err := n.at.ReadRowsAt(band, y0, scratch)
	return scratch, n.wrap(err)
}

// Error is a failure to read an image of a known format: "TIFF: strip 3
// is truncated". Since the format is known by the file's content, not its
// name, the message says which it is.
type Error struct {
	Format string
	Err    error
}

func (e *Error) Error() string { return e.Format + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Available reports whether r, of size bytes (-1 for a stream of unknown
// length), holds at least n bytes. For a stream it reads that far, so a
// codec calls it with n no larger than the data the header claims.
func Available(r io.ReaderAt, size, n int64) bool {
	if n <= 0 {
		return true
	}
	if size >= 0 {
		return n <= size
	}
	var b [1]byte
	_, err := r.ReadAt(b[:], n-1)
	return err == nil
}

// Decode reads the whole of img into a new bitmap.
func Decode(img Image) (*bitmap.Bitmap, error) {
	w, h := img.Size()
	bm, err := bitmap.New(w, h)
	if err != nil {
		return nil, err
	}
	if err := img.ReadRows(bm); err != nil {
		return nil, err
	}
	return bm, nil
}
