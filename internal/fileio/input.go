package fileio

import (
	"errors"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"unsafe"
)

// Input is a job's input, open for reading at any offset.
type Input struct {
	io.ReaderAt
	// Size is the input's size in bytes.
	Size  int64
	close func()
}

// Close releases the input.
func (in *Input) Close() {
	if in.close != nil {
		in.close()
	}
}

// OpenInput opens a job's input: the file at path, or stdin for Stdio.
// Input of unknown length (a pipe, a terminal) is read whole first, so that
// every size a header claims is checked against real data before anything
// is allocated. Standard input redirected from a file (rlec compress <
// page.bmp) is read in place, from where its offset stands, as a named
// file is.
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
		defer f.Close()
		r = f
	}
	s, err := readStream(r)
	if err != nil {
		return nil, err
	}
	return &Input{ReaderAt: s, Size: s.size}, nil
}

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
// every 4 KiB of a buffer touched for the first time. A stream, already
// read, is used as it is; anything else is read into buf(size), which may
// be reused memory. Reads of mapped data must be inside GuardFaults.
func (in *Input) Bytes(buf func(n int64) []byte) (data []byte, release func(), err error) {
	if f, ok := in.ReaderAt.(*os.File); ok && in.Size > 0 {
		if data, unmap, err := mapFile(f, in.Size); err == nil {
			return data, unmap, nil
		}
	}
	if s, ok := in.ReaderAt.(*streamInput); ok {
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

// streamInput is an input read whole from a stream, such as a pipe, kept in
// the blocks it was read into: no byte is copied twice, and no memory is
// touched but the data's own. io.ReadAll instead grows one buffer as the
// data comes, copying what it has into fresh memory each time, about five
// times the data's size in all, and fresh memory costs a page fault per
// 4 KiB.
type streamInput struct {
	blocks [][]byte // streamBlockSize bytes each, but the last
	size   int64
}

// readStream reads r to its end.
func readStream(r io.Reader) (*streamInput, error) {
	if f, ok := r.(*os.File); ok {
		growPipe(f)
	}
	s := &streamInput{}
	for {
		block := make([]byte, streamBlockSize)
		n, err := io.ReadFull(r, block)
		if n > 0 {
			s.blocks = append(s.blocks, block[:n])
			s.size += int64(n)
		}
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			return s, nil
		default:
			return nil, err
		}
	}
}

// ReadAt reads as io.ReaderAt says, across blocks.
func (s *streamInput) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
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

// bytes returns the data as one slice, copied only if it spans blocks.
func (s *streamInput) bytes() []byte {
	if len(s.blocks) == 1 {
		return s.blocks[0]
	}
	return slices.Concat(s.blocks...)
}

// ReadStream reads r, a stream, to its end, into as little memory as it can
// (see streamInput).
func ReadStream(r io.Reader) ([]byte, error) {
	s, err := readStream(r)
	if err != nil {
		return nil, err
	}
	return s.bytes(), nil
}
