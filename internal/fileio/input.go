package fileio

import (
	"errors"
	"io"
	"math"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// Bound limits what is read of a stream wanted whole (Input.Bytes).
type Bound interface {
	// Limit says how long a file starting with head (its first boundHead
	// bytes, or all of a shorter file) may be; one byte more is read, for
	// the reader to find that something follows what the file allows.
	Limit(head []byte) int64
	// Stop is shown each block of the stream as it comes, and ends the
	// reading when it finds what makes reading on useless: a fault that
	// the data already read is enough to report.
	Stop(block []byte) bool
}

// boundHead is how much of a stream Bound.Limit sees: more than any
// header it needs.
const boundHead = 64

// Input is a job's input, open for reading at any offset.
type Input struct {
	io.ReaderAt
	// Size is the input's size in bytes, or -1 for a stream, whose length
	// is known only once it has been read to its end.
	Size  int64
	close func()
}

// BytesRead is how many bytes of the input were read: its size, or what
// was read of a stream.
func (in *Input) BytesRead() int64 {
	if s, ok := in.ReaderAt.(*streamInput); ok {
		return s.read()
	}
	return in.Size
}

// Close releases the input.
func (in *Input) Close() {
	if in.close != nil {
		in.close()
	}
}

// OpenInput opens a job's input: the file at path, or stdin for Stdio.
// Input of unknown length (a pipe, a device, a terminal) is a stream, read
// as far as its readers ask (streamInput). Standard input redirected from a
// file (rlec compress < page.bmp) is read in place, from where its offset
// stands, as a named file is.
func OpenInput(path string, stdin io.Reader) (*Input, error) {
	r := stdin
	if path == Stdio {
		if in, size, ok := regularStdin(stdin); ok {
			return &Input{ReaderAt: in, Size: size}, nil
		}
	} else {
		f, err := openRead(path)
		if err != nil {
			return nil, err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		if fi.IsDir() {
			f.Close()
			return nil, errors.New("is a directory")
		}
		if fi.Mode().IsRegular() {
			return &Input{ReaderAt: f, Size: fi.Size(), close: func() { f.Close() }}, nil
		}
		return &Input{ReaderAt: newStream(f), Size: -1, close: func() { f.Close() }}, nil
	}
	return &Input{ReaderAt: newStream(r), Size: -1}, nil
}

// ReadDir reads the folder at path as os.ReadDir does, sorted by name, but
// opening it outside the runtime's poller (see openFile), which os.ReadDir
// would set up the first time, needing file handles of its own.
func ReadDir(path string) ([]os.DirEntry, error) {
	f, err := openFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	slices.SortFunc(entries, func(a, b os.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, err
}

// OpenNull opens the null device for reading and writing, in blocking mode,
// outside the runtime's poller (see openFile).
func OpenNull() (*os.File, error) { return openFile(os.DevNull, os.O_RDWR, 0) }

// regularStdin returns standard input as a file to read at any offset,
// when it is a regular file: the rest of it from its current offset, which
// is then moved to the end, as reading it through would: read whole
// instead, it would cost a copy of the file in memory and the time to make
// it.
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
		return f, fi.Size(), true // an *os.File, which Bytes can map
	}
	return io.NewSectionReader(f, start, fi.Size()-start), fi.Size() - start, true
}

// Bytes returns the whole of an input, and a function to call once the
// data is no longer used. A regular file is mapped into memory where the
// platform can (mapFile): besides the copy, that saves a page fault for
// every 4 KiB of a buffer touched for the first time. Anything else is read
// into buf(size), which may be reused memory. Reads of mapped data must be
// inside GuardFaults.
//
// A stream is read to its end, or as far as bound allows, when it is not
// nil.
func (in *Input) Bytes(buf func(n int64) []byte, bound Bound) (data []byte, release func(), err error) {
	if f, ok := in.ReaderAt.(*os.File); ok && in.Size > 0 {
		if data, unmap, err := mapFile(f, in.Size); err == nil {
			return data, unmap, nil
		}
	}
	if s, ok := in.ReaderAt.(*streamInput); ok {
		limit, stop := int64(math.MaxInt64-1), func([]byte) bool { return false }
		if bound != nil {
			head := make([]byte, boundHead)
			n, err := s.ReadAt(head, 0)
			if err != nil && err != io.EOF {
				return nil, nil, err
			}
			limit, stop = bound.Limit(head[:n]), bound.Stop
		}
		if err := s.readAll(limit, stop); err != nil {
			return nil, nil, err
		}
		return s.bytes(), func() {}, nil
	}
	data = buf(in.Size)
	if _, err := in.ReadAt(data, 0); err != nil {
		return nil, nil, err
	}
	return data, func() {}, nil
}

// ErrInputFault is a failure to read a mapped input: the file was cut short
// by another program while it was being read, or its disk failed.
var ErrInputFault = errors.New("read failed: the file was cut short, or its disk failed, while it was being read")

// GuardFaults runs fn, which reads data, on this goroutine, and turns a
// memory fault at an address in data into ErrInputFault. Reading a mapped
// file that another program truncates, or whose disk fails, faults (SIGBUS),
// and a fault ends a Go program unless the goroutine asked for a panic
// instead (debug.SetPanicOnFault). Every goroutine that reads a mapped input
// reads it inside GuardFaults. A fault anywhere else is a bug, and is not
// hidden.
func GuardFaults(data []byte, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if f, ok := r.(interface{ Addr() uintptr }); ok && within(data, f.Addr()) {
			err = ErrInputFault
			return
		}
		panic(r)
	}()
	return fn()
}

// within reports whether addr is the address of a byte of data.
func within(data []byte, addr uintptr) bool {
	start := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	return len(data) > 0 && addr >= start && addr-start < uintptr(len(data))
}

// pipeSize is how much a pipe rlec reads or writes is made to hold
// (growPipe).
const pipeSize = 1 << 20

// streamBlockSize is the size of the blocks a stream is read into.
const streamBlockSize = 1 << 20

// streamInput is an input read from a stream, such as a pipe, as far as
// its readers ask and no farther: a header is read, and judged, before
// anything behind it, so that an endless stream (/dev/zero) or a huge one
// is refused early, in little memory. What was read is kept in the blocks
// it was read into: no byte is copied twice, and no memory is touched but
// the data's own (io.ReadAll instead grows one buffer, copying what it has
// into fresh memory each time, about five times the data's size in all).
// Its methods may be called from several goroutines.
type streamInput struct {
	mu     sync.Mutex
	r      io.Reader
	blocks [][]byte // streamBlockSize bytes each, but the last
	size   int64    // bytes read
	eof    bool     // the stream has ended
	err    error    // the failure that ended it early
}

func newStream(r io.Reader) *streamInput {
	if f, ok := r.(*os.File); ok {
		growPipe(f)
	}
	return &streamInput{r: r}
}

// fill reads blocks until the stream holds at least n bytes or has ended.
// The caller holds s.mu.
func (s *streamInput) fill(n int64) error {
	for s.size < n && !s.eof && s.err == nil {
		block := make([]byte, streamBlockSize)
		got, err := io.ReadFull(s.r, block)
		if got > 0 {
			s.blocks = append(s.blocks, block[:got])
			s.size += int64(got)
		}
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			s.eof = true
		default:
			s.err = err
		}
	}
	return s.err
}

// ReadAt reads as io.ReaderAt says, across blocks, reading the stream as
// far as it must.
func (s *streamInput) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.fill(off + int64(max(len(p), 1))); err != nil {
		return 0, err
	}
	if off >= s.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && off < s.size {
		block := s.blocks[off/streamBlockSize]
		c := copy(p[n:], block[off%streamBlockSize:])
		n += c
		off += int64(c)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// readAll reads the stream to its end, or to limit bytes past which it
// reads one more and stops: enough for the reader to say that something
// follows what it allows. stop, when not nil, is shown each block as it
// arrives and ends the reading early by returning true (Bound).
func (s *streamInput) readAll(limit int64, stop func(block []byte) bool) error {
	if stop == nil {
		stop = func([]byte) bool { return false }
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for !s.eof && s.err == nil && s.size <= limit {
		before := len(s.blocks)
		if err := s.fill(min(s.size+1, limit+1)); err != nil {
			return err
		}
		if len(s.blocks) > before && stop(s.blocks[len(s.blocks)-1]) {
			break
		}
	}
	if s.size > limit+1 { // trim what the last block read past the limit
		last := len(s.blocks) - 1
		s.blocks[last] = s.blocks[last][:int64(len(s.blocks[last]))-(s.size-limit-1)]
		s.size = limit + 1
	}
	return s.err
}

// bytes returns the data read, as one slice, copied only if it spans
// blocks.
func (s *streamInput) bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.blocks) == 1 {
		return s.blocks[0]
	}
	return slices.Concat(s.blocks...)
}

// read is how many bytes were read.
func (s *streamInput) read() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}
