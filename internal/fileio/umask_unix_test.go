//go:build unix

package fileio

import (
	"syscall"
	"testing"
)

// setUmask sets the process's umask for the rest of the test, and reports
// that it could.
func setUmask(t *testing.T, mask int) bool {
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
	return true
}
