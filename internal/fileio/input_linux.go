package fileio

import (
	"os"

	"golang.org/x/sys/unix"
)

// openRead opens path for reading as os.Open does, but in blocking mode,
// as standard input is read, instead of offering it to the runtime's
// poller: epoll refuses regular files, and rlec sets no deadlines on its
// inputs, which is all the poller would give a FIFO. os.Open's offer sets
// the poller up the first time and costs a few system calls each time, a
// cost paid by every run of rlec on one file.
func openRead(path string) (*os.File, error) { return openFile(path, unix.O_RDONLY, 0) }

// openFile opens path as os.OpenFile does, in blocking mode and never
// through the runtime's poller, for inputs (openRead) and outputs alike.
// Besides its cost, the poller's first use sets it up, which takes file
// handles of its own: when the process has none left, that failure ends
// the program instead of failing one file.
func openFile(path string, flag int, perm uint32) (*os.File, error) {
	var fd int
	var err error = unix.EINTR
	for err == unix.EINTR { // opening a FIFO waits for the other end, which a signal may cut short
		fd, err = unix.Open(path, flag|unix.O_CLOEXEC, perm)
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}

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
