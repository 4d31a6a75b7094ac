//go:build !linux

package strategy

import "os"

// blockingPipe makes a pipe.
func blockingPipe() (r, w *os.File, err error) { return os.Pipe() }
