package fileio

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"golang.org/x/sys/unix"
)

// createUnnamed makes a file with no name in dir (O_TMPFILE). It fails
// where the filesystem cannot make one, and where /proc, through which
// linkUnnamed names the file, is not mounted.
func createUnnamed(dir string) (*os.File, error) {
	if !procMounted() {
		return nil, errors.ErrUnsupported
	}
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, outputMode)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), filepath.Join(dir, "(unnamed output)")), nil
}

// unnamedUnsupported tells a failure of createUnnamed that a named
// temporary file may not meet: the filesystem or the kernel cannot make
// unnamed files (old kernels take O_TMPFILE for O_DIRECTORY).
func unnamedUnsupported(err error) bool {
	return errors.Is(err, errors.ErrUnsupported) || errors.Is(err, unix.EOPNOTSUPP) ||
		errors.Is(err, unix.EISDIR) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOTSUP)
}

var procMounted = sync.OnceValue(func() bool {
	_, err := os.Stat("/proc/self/fd")
	return err == nil
})

// linkUnnamed gives f, made by createUnnamed, the name path, unless path
// exists. Linking through /proc needs no privilege, unlike AT_EMPTY_PATH.
func linkUnnamed(f *os.File, path string) error {
	err := unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(int(f.Fd())), unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
	if err != nil {
		return &os.LinkError{Op: "link", Old: f.Name(), New: path, Err: err}
	}
	return nil
}

// reserve allocates the disk blocks of an output of size bytes before it is
// written, and sets its size: ext4 then writes into blocks it has, instead
// of reserving them page by page as the writes come (delayed allocation),
// and two goroutines writing one file wait less on each other. A disk
// without room fails here, before any work; a filesystem that cannot
// allocate ahead is written as before.
func reserve(f *os.File, size int64) error {
	conn, err := f.SyscallConn()
	if err != nil {
		return nil
	}
	var ferr error
	if err := conn.Control(func(fd uintptr) { ferr = unix.Fallocate(int(fd), 0, 0, size) }); err != nil {
		return nil
	}
	switch {
	case ferr == nil:
		return nil
	case errors.Is(ferr, unix.ENOSPC), errors.Is(ferr, unix.EDQUOT), errors.Is(ferr, unix.EFBIG):
		return ferr
	default: // EOPNOTSUPP and the like: nothing reserved
		return nil
	}
}

// appendOnly reports whether f was opened in append mode (>> in a shell),
// in which Linux writes at the end whatever offset a write names.
func appendOnly(f *os.File) bool {
	conn, err := f.SyscallConn()
	if err != nil {
		return true
	}
	flags := 0
	var ferr error
	if err := conn.Control(func(fd uintptr) { flags, ferr = unix.FcntlInt(fd, unix.F_GETFL, 0) }); err != nil || ferr != nil {
		return true
	}
	return flags&unix.O_APPEND != 0
}
