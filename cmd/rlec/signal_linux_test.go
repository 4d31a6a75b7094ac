package main

import (
	"golang.org/x/sys/unix"
)

// unnamedFiles reports whether files can be made in dir with no name, as
// rlec makes its outputs where it can.
func unnamedFiles(dir string) bool {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return false
	}
	unix.Close(fd)
	return true
}
