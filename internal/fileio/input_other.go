//go:build !linux

package fileio

import (
	"errors"
	"os"
)

// openRead opens path for reading.
func openRead(path string) (*os.File, error) { return os.Open(path) }

// openFile opens path as os.OpenFile does.
func openFile(path string, flag int, perm uint32) (*os.File, error) {
	return os.OpenFile(path, flag, os.FileMode(perm))
}

// mapFile fails: inputs are mapped only on Linux, where mapping was measured
// to pay (see readInput); elsewhere they are read.
func mapFile(*os.File, int64) ([]byte, func(), error) { return nil, nil, errors.ErrUnsupported }

// growPipe does nothing: pipes are resized only on Linux.
func growPipe(*os.File) {}
