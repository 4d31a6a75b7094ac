package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// unnamedFiles reports whether rlec can write its outputs in dir as unnamed
// files: made with O_TMPFILE, named later through /proc.
func unnamedFiles(dir string) bool {
	if _, err := os.Stat("/proc/self/fd"); err != nil {
		return false
	}
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_WRONLY|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return false
	}
	unix.Close(fd)
	return true
}
