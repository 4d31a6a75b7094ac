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

// growPipe enlarges the pipe f reads or writes to pipeSize, when it is a
// pipe that holds less, as far as the system lets it (an unprivileged user
// may go up to /proc/sys/fs/pipe-max-size, 1 MiB by default). With Linux's
// 64 KiB, the program at the other end fills the pipe and waits for rlec to
// empty it, and the two take turns instead of running side by side.
func growPipe(f *os.File) {
	conn, err := f.SyscallConn()
	if err != nil {
		return
	}
	conn.Control(func(fd uintptr) {
		if size, err := unix.FcntlInt(fd, unix.F_GETPIPE_SZ, 0); err == nil && size < pipeSize {
			unix.FcntlInt(fd, unix.F_SETPIPE_SZ, pipeSize)
		}
	})
}
