package fileio

import (
	"io"
	"os"
	"sync"
)

// Stdio is the name that stands for standard input or output.
const Stdio = "-"

// Name is how messages name a path: Stdio is std ("stdin" or "stdout").
func Name(path, std string) string {
	if path == Stdio {
		return std
	}
	return path
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

// regularStdout returns standard output as a stdoutFile when it is an empty
// regular file at offset 0, as > leaves it, and not in append mode, in
// which writes at offsets land at the end on Linux. Anything else, which
// may hold data of its own, is written as a stream.
func regularStdout(stdout io.Writer) (*stdoutFile, bool) {
	f, ok := stdout.(*os.File)
	if !ok {
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
func (s *stdoutFile) Reserve(size int64) error { return UnwrapPath(reserve(s.f, size)) }

// Commit leaves the offset at the end of what was written, as writing it
// in order would: past what WriteAt wrote too.
func (s *stdoutFile) Commit() error {
	if s.end <= s.written {
		return nil // Write left it there
	}
	_, err := s.f.Seek(s.end, io.SeekStart)
	return err
}

// Abort empties the file again, so that a failed run leaves no partial
// image.
func (s *stdoutFile) Abort() {
	s.end, s.written = 0, 0
	s.f.Truncate(0)
	s.f.Seek(0, io.SeekStart)
}

func (s *stdoutFile) Size() int64 { return max(s.end, s.written) }

// stream is an output written as it comes: a pipe, a terminal, a device,
// standard output that already holds data. What was written cannot be taken
// back. It hides any WriteAt of what it writes to, which a pipe cannot do.
type stream struct {
	w     io.Writer
	n     int64
	close func() error // closes what openInPlace opened, or nil
}

func (s *stream) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	s.n += int64(n)
	return n, err
}

func (s *stream) Commit() error {
	if s.close != nil {
		return s.close()
	}
	return nil
}

func (s *stream) Abort() {
	if s.close != nil {
		s.close()
	}
}

func (s *stream) Size() int64 { return s.n }
