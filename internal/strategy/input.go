package strategy

import (
	"errors"
	"io"
	"os"
	"runtime/debug"
	"unsafe"
)

// readInput returns the whole of a .rle input of size bytes, and a function
// to call once the data is no longer used. A regular file is mapped into
// memory where the platform can (mapFile); anything else is read into the
// workspace's input buffer.
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
