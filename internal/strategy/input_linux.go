package strategy

import (
	"os"

	"golang.org/x/sys/unix"
)

// mapFile maps the first size bytes of f into memory, read-only; unmap
// undoes it. Reads of data must be inside guardFaults.
func mapFile(f *os.File, size int64) (data []byte, unmap func(), err error) {
	if int64(int(size)) != size {
		return nil, nil, unix.EFBIG
	}
	conn, err := f.SyscallConn()
	if err != nil {
		return nil, nil, err
	}
	var merr error
	if err := conn.Control(func(fd uintptr) {
		data, merr = unix.Mmap(int(fd), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	}); err != nil {
		return nil, nil, err
	}
	if merr != nil {
		return nil, nil, merr
	}
	return data, func() { unix.Munmap(data) }, nil
}
