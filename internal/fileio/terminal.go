package fileio

import (
	"errors"
	"os"

	"golang.org/x/term"
)

// ErrTerminal refuses to write binary data to a terminal without --force.
var ErrTerminal = errors.New("refusing to write binary data to a terminal (use -f to force)")

// openInPlace opens an output that CheckOutput says is written in place: a
// device, a named pipe or a socket, whose opening may wait for a reader.
func openInPlace(path string, force bool) (*os.File, error) {
	f, err := openFile(path, os.O_WRONLY, 0)
	if err != nil {
		return nil, err
	}
	if !force && IsTerminal(f) {
		f.Close()
		return nil, ErrTerminal
	}
	return f, nil
}

// IsTerminal asks the terminal driver whether f is a terminal, as isatty(3)
// does: a character device is not enough, since /dev/null is one too. It
// asks through SyscallConn, not Fd, which would put a non-blocking stream
// into blocking mode.
func IsTerminal(f *os.File) bool {
	conn, err := f.SyscallConn()
	if err != nil {
		return false
	}
	terminal := false
	err = conn.Control(func(fd uintptr) { terminal = term.IsTerminal(int(fd)) })
	return err == nil && terminal
}
