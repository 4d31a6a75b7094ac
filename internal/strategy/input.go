package strategy

import (
	"errors"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"unsafe"
)

// readInput returns the whole of a .rle input of size bytes, and a function
// to call once the data is no longer used. A regular file is mapped into
// memory where the platform can (mapFile); a stream, already read, is used
// as it is; anything else is read into the workspace's input buffer.
//
// Mapping saves, besides the copy, a page fault for every 4 KiB of a buffer
// touched for the first time: about 125 for a 40-Mpixel page, at 2 µs each
// on the VMs rlec was measured on, where the kernel maps 16 pages of a
// mapped file per fault.
func readInput(in io.ReaderAt, size int64, ws *workspace) (data []byte, release func(), err error) {
	if f, ok := in.(*os.File); ok && size > 0 {
		if data, unmap, err := mapFile(f, size); err == nil {
			return data, unmap, nil
		}
	}
	if s, ok := in.(*streamInput); ok {
		return s.bytes(), func() {}, nil
	}
	data = ws.input(size)
	if _, err := in.ReadAt(data, 0); err != nil {
		return nil, nil, err
	}
	return data, func() {}, nil
}

// errInputFault is a failure to read a mapped input: the file was cut short
// by another program while it was being read, or its disk failed.
var errInputFault = errors.New("read failed: the file was cut short, or its disk failed, while it was being read")

// guardFaults runs fn, which reads data, on this goroutine, and turns a
// memory fault at an address in data into an inputError. Reading a mapped
// file that another program truncates, or whose disk fails, faults (SIGBUS),
// and a fault ends a Go program unless the goroutine asked for a panic
// instead (debug.SetPanicOnFault). Every goroutine that reads a mapped input
// reads it inside guardFaults. A fault anywhere else is a bug, and is not
// hidden.
func guardFaults(data []byte, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if f, ok := r.(interface{ Addr() uintptr }); ok && within(data, f.Addr()) {
			err = inputError{errInputFault}
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
// times the data's size in all (fresh memory costs a page fault per 4 KiB):
// compressing a 5 MB page from a pipe took three times as long as from the
// file.
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
