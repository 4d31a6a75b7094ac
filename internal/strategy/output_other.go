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
