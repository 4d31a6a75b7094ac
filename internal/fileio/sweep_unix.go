//go:build unix

package fileio

import (
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// A temporary output that has a name is locked (flock) by the process
// writing it for as long as the name exists. A process killed outright
// (SIGKILL, a crash of the machine) cannot remove the name, but the kernel
// drops its lock; so a temporary file that nobody holds locked is a
// leftover, and Sweep removes it. flock works across NFS clients too.

// lockTemp marks f, a named temporary output, as in use until it is closed.
func lockTemp(f *os.File) error {
	return unix.Flock(int(f.Fd()), unix.LOCK_EX)
}

// swept holds the folders swept by this process.
var swept sync.Map

// sweep removes from dir, once a process, the temporary outputs that rlec
// processes killed before they could remove them left behind: those no
// process holds locked.
func sweep(dir string) {
	if _, done := swept.LoadOrStore(dir, true); done {
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) && e.Type().IsRegular() {
			removeIfLeft(filepath.Join(dir, e.Name()))
		}
	}
}

// removeIfLeft removes path when no process holds it locked, and it is
// still the file that was locked.
func removeIfLeft(path string) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return
	}
	defer unix.Close(fd)
	if unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB) != nil {
		return // in use
	}
	var held, named unix.Stat_t
	if unix.Fstat(fd, &held) != nil || unix.Lstat(path, &named) != nil || held.Ino != named.Ino || held.Dev != named.Dev {
		return
	}
	os.Remove(path)
}
