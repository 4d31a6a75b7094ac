package strategy

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/rle"
)

// converter is how an in-process strategy converts one image: where its
// rows are read, encoded or decoded, and written. Errors reading the input
// are wrapped in inputError.
type converter struct {
	// encode writes the image of src in .rle form to w.
	encode func(ctx context.Context, src *bitmap.File, w io.Writer) error
	// decode writes the image of the .rle file data as a BMP to w. data
	// has passed rle.NewDecoder.
	decode func(ctx context.Context, data []byte, w io.Writer) error
}

// inputError is a failure to read the input met while writing the output.
type inputError struct{ error }

func (e inputError) Unwrap() error { return e.error }

// decodeAll reads the whole image of src.
func decodeAll(src *bitmap.File) (*bitmap.Bitmap, error) {
	bm, err := src.Decode()
	if err != nil {
		return nil, inputError{err}
	}
	return bm, nil
}

// decodeUnlessBanded decodes src whole, unless it is a 1-bit file whose rows
// can be read band by band; then it returns nil.
func decodeUnlessBanded(src *bitmap.File) (*bitmap.Bitmap, error) {
	if src.Banded() {
		return nil, nil
	}
	return decodeAll(src)
}

// workspace is the memory a goroutine converts an image with: a band of
// rows, the band's bytes as the file has them, output gathered for a write,
// and a whole .rle file being decompressed. Each goroutine that converts
// takes one from workspaces and puts it back when done, so that the next
// image reuses it. Fresh memory costs a page fault per 4 KiB first touched,
// and two threads faulting slow each other: fresh workspaces for every page
// of a folder of 300-dpi pages cost about 75 faults a page, and
// compress-dir 11-14% of its time.
type workspace struct {
	band []uint64
	file []byte
	out  []byte
	in   []byte
}

var workspaces = sync.Pool{New: func() any { return new(workspace) }}

// newBand returns a band for blocks of rows of a width×height image, in the
// workspace's memory.
func (ws *workspace) newBand(width, height int) (*bitmap.Bitmap, error) {
	band, err := bitmap.NewIn(ws.band, width, min(rowsPerBlock(width), height))
	if err != nil {
		return nil, inputError{err}
	}
	ws.band = band.Words
	return band, nil
}

// outBuffer returns the workspace's output buffer, empty, with room for at
// least n bytes.
func (ws *workspace) outBuffer(n int) []byte {
	if cap(ws.out) < n {
		ws.out = make([]byte, 0, n)
	}
	return ws.out[:0]
}

// input returns the workspace's input buffer, n bytes long.
func (ws *workspace) input(n int64) []byte {
	if int64(cap(ws.in)) < n {
		ws.in = make([]byte, n)
	}
	return ws.in[:n]
}

// rowReader hands out blocks of an image's rows: slices of the decoded image
// when there is one, else rows read from the 1-bit file into the band of its
// workspace, reused block after block, so the image is never held whole.
// One reader serves one goroutine; readers may share full.
type rowReader struct {
	src  *bitmap.File
	full *bitmap.Bitmap
	ws   *workspace
	band *bitmap.Bitmap
}

// rows returns image rows [y0, y1); y1-y0 is at most rowsPerBlock.
func (r *rowReader) rows(y0, y1 int) (*bitmap.Bitmap, error) {
	if r.full != nil {
		return r.full.Band(y0, y1), nil
	}
	if r.band == nil {
		band, err := r.ws.newBand(r.src.Width, r.src.Height)
		if err != nil {
			return nil, err
		}
		r.band = band
	}
	block := r.band.Band(0, y1-y0)
	var err error
	if r.ws.file, err = r.src.LoadRows(block, y0, r.ws.file); err != nil {
		return nil, inputError{err}
	}
	return block, nil
}

// runJob converts one file in this process: open and check the input, convert
// to a temporary output, and put it in place. A failure names the file at
// fault and leaves no output behind.
func runJob(ctx context.Context, j Job, opt Options, conv converter) Result {
	res := Result{Job: j}
	inName, outName := StdioName(j.In, "stdin"), StdioName(j.Out, "stdout")
	fail := func(path string, err error) Result {
		var ie inputError
		if errors.As(err, &ie) || errors.Is(err, ErrSameFile) {
			path = inName
		}
		res.Err = &FileError{Path: path, Err: unwrapPath(err)}
		return res
	}
	target, inPlace, err := checkOutput(j.In, j.Out, opt.Force)
	if err != nil {
		return fail(outName, err)
	}
	if err := ctx.Err(); err != nil {
		return fail(inName, err)
	}
	in, size, closeIn, err := openInput(j.In, opt.Stdin)
	if err != nil {
		return fail(inName, err)
	}
	defer closeIn()
	res.InBytes = size
	var write func(w io.Writer) error
	if j.Op == Decompress {
		ws := workspaces.Get().(*workspace)
		defer workspaces.Put(ws)
		data, release, err := readInput(in, size, ws)
		if err != nil {
			return fail(inName, err)
		}
		defer release()
		if err := guardFaults(data, func() error { // before any output is made
			_, err := rle.NewDecoder(data)
			return err
		}); err != nil {
			return fail(inName, rle.WithHint(data, err))
		}
		write = func(w io.Writer) error {
			return rle.WithHint(data, guardFaults(data, func() error { return conv.decode(ctx, data, w) }))
		}
	} else {
		src, err := bitmap.Open(in, size)
		if err != nil {
			return fail(inName, err)
		}
		write = func(w io.Writer) error { return conv.encode(ctx, src, w) }
	}
	if err := ctx.Err(); err != nil {
		return fail(inName, err)
	}
	if so, ok := regularStdout(j.Out, opt.Stdout); ok {
		err = so.finish(write(so))
		res.OutBytes = so.size()
		if err != nil {
			return fail(outName, err)
		}
		return res
	}
	if j.Out == Stdio || inPlace {
		// A stream: written as it comes (countingWriter hides WriterAt, which
		// a pipe cannot do), and not taken back if the work fails.
		w := opt.Stdout
		if f, ok := w.(*os.File); ok {
			growPipe(f)
		}
		var f *os.File
		if inPlace {
			if f, err = openInPlace(j.Out, opt.Force); err != nil {
				return fail(outName, err)
			}
			w = f
		}
		cw := &countingWriter{w: w}
		err = write(cw)
		if f != nil {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		res.OutBytes = cw.n
		if err != nil {
			return fail(outName, err)
		}
		return res
	}
	out, err := createAtomic(target, opt.Force, opt.Guard)
	if err != nil {
		return fail(outName, err)
	}
	err = write(out)
	if err == nil {
		err = ctx.Err() // interrupted: keep nothing half-done
	}
	var fi os.FileInfo
	if err == nil {
		fi, err = out.Stat()
	}
	if err != nil {
		out.Abort()
		return fail(outName, err)
	}
	if err := out.Commit(); err != nil {
		return fail(outName, err)
	}
	res.OutBytes = fi.Size()
	return res
}

// closeDecoder checks that dec read all its rows and nothing follows them.
func closeDecoder(dec *rle.Decoder) error {
	if _, err := dec.Close(); err != nil {
		return inputError{err}
	}
	return nil
}

// StdioName is how messages name a job's input or output: "-" is std
// ("stdin" or "stdout").
func StdioName(path, std string) string {
	if path == Stdio {
		return std
	}
	return path
}

// openInput opens a job's input for reading at any offset. Input of unknown
// length (a pipe, a terminal) is read whole first, so that every size a
// header claims is checked against real data before anything is allocated.
// Standard input redirected from a file (rlec compress < page.bmp) is read
// in place, from where its offset stands, as a named file is.
func openInput(path string, stdin io.Reader) (io.ReaderAt, int64, func(), error) {
	nothing := func() {}
	r := stdin
	if path == Stdio {
		if in, size, ok := regularStdin(stdin); ok {
			return in, size, nothing, nil
		}
	} else {
		f, err := openRead(path)
		if err != nil {
			return nil, 0, nothing, err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, nothing, err
		}
		if fi.IsDir() {
			f.Close()
			return nil, 0, nothing, errors.New("is a directory")
		}
		if fi.Mode().IsRegular() {
			return f, fi.Size(), func() { f.Close() }, nil
		}
		defer f.Close()
		r = f
	}
	s, err := readStream(r)
	if err != nil {
		return nil, 0, nothing, err
	}
	return s, s.size, nothing, nil
}

// regularStdin returns standard input as a file to read at any offset,
// when it is a regular file: the rest of it from its current offset, which
// is then moved to the end, as reading it through would. Read whole instead,
// a 5 MB page took twice as long to compress, in two and a half times the
// memory.
func regularStdin(stdin io.Reader) (io.ReaderAt, int64, bool) {
	f, ok := stdin.(*os.File)
	if !ok {
		return nil, 0, false
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil, 0, false
	}
	start, err := f.Seek(0, io.SeekCurrent)
	if err != nil || start > fi.Size() {
		return nil, 0, false
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		return nil, 0, false
	}
	if start == 0 {
		return f, fi.Size(), true // an *os.File, which readInput can map
	}
	return io.NewSectionReader(f, start, fi.Size()-start), fi.Size() - start, true
}

// stdoutFile is standard output redirected to a new or emptied file
// (rlec decompress < x.rle > x.bmp), written as a named output is: at
// offsets, by several goroutines at once, into room reserved ahead. Written
// as a stream instead, a decompressed image was held whole in memory, since
// a BMP's first bytes are the image's last row. Its offset is left at the
// end of what was written, as writing it in order would leave it; if the
// work fails, what was written is taken back.
type stdoutFile struct {
	f       *os.File
	mu      sync.Mutex
	end     int64 // the end of what WriteAt wrote
	written int64 // what Write wrote
}

// regularStdout returns standard output as a stdoutFile when out names it
// and it is an empty regular file at offset 0, as > leaves it, and not in
// append mode, in which writes at offsets land at the end on Linux.
// Anything else, which may hold data of its own, is written as a stream.
func regularStdout(out string, stdout io.Writer) (*stdoutFile, bool) {
	f, ok := stdout.(*os.File)
	if out != Stdio || !ok {
		return nil, false
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != 0 || appendOnly(f) {
		return nil, false
	}
	if at, err := f.Seek(0, io.SeekCurrent); err != nil || at != 0 {
		return nil, false
	}
	return &stdoutFile{f: f}, true
}

func (s *stdoutFile) Write(p []byte) (int, error) {
	n, err := s.f.Write(p)
	s.written += int64(n)
	return n, err
}

func (s *stdoutFile) WriteAt(p []byte, off int64) (int, error) {
	n, err := s.f.WriteAt(p, off)
	s.mu.Lock()
	s.end = max(s.end, off+int64(n))
	s.mu.Unlock()
	return n, err
}

// Reserve allocates room ahead, as for a named output (atomicFile.Reserve).
func (s *stdoutFile) Reserve(size int64) error { return unwrapPath(reserve(s.f, size)) }

// finish ends the output, whose work returned err: it moves the offset to
// the end of what WriteAt wrote, or, if err is not nil, empties the file
// again, so that a failed run leaves no partial image. It returns err, or
// its own failure.
func (s *stdoutFile) finish(err error) error {
	if err != nil {
		s.end, s.written = 0, 0
		s.f.Truncate(0)
		s.f.Seek(0, io.SeekStart)
		return err
	}
	if s.end == 0 {
		return nil
	}
	_, err = s.f.Seek(s.end, io.SeekStart)
	return err
}

func (s *stdoutFile) size() int64 { return max(s.end, s.written) }

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
