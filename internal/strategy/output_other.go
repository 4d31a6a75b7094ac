//go:build !linux

package strategy

import (
	"errors"
	"os"
)

// createUnnamed fails: only Linux makes files without a name, so outputs
// elsewhere are named temporary files.
func createUnnamed(string) (*os.File, error) { return nil, errors.ErrUnsupported }

func linkUnnamed(*os.File, string) error { return errors.ErrUnsupported }

// reserve does nothing: allocating ahead is left to Linux (see
// output_linux.go).
func reserve(*os.File, int64) error { return nil }
