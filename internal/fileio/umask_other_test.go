//go:build !unix

package fileio

import "testing"

// setUmask does nothing: only Unix has a umask.
func setUmask(*testing.T, int) bool { return false }
