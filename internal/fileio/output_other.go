//go:build !linux

package fileio

import (
	"errors"
	"os"
)

// createUnnamed fails: only Linux makes files without a name, so outputs
// elsewhere are named temporary files.
func createUnnamed(string) (*os.File, error) { return nil, errors.ErrUnsupported }

func linkUnnamed(*os.File, string) error { return errors.ErrUnsupported }

func unnamedUnsupported(error) bool { return true }

// reserve does nothing: allocating ahead is left to Linux (see
// output_linux.go).
func reserve(*os.File, int64) error { return nil }

// appendOnly is true: off Linux, standard output is always written as a
// stream (see regularStdout).
func appendOnly(*os.File) bool { return true }
