package strategy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrExists refuses to replace an output without --force.
var ErrExists = errors.New("already exists (use --force to replace it)")

// tempPrefix starts the name of every temporary output, so that leftovers of
// a killed process are recognisable.
const tempPrefix = ".rlec-tmp-"

// atomicFile is an output written to a temporary file in the target folder
// and renamed into place by Commit, so a reader of the final name sees the
// whole file or nothing.
type atomicFile struct {
	*os.File
	final string
	force bool
}

// createAtomic starts an output. The caller has refused an existing output
// with checkOutput before any work; Commit refuses one that appeared since.
func createAtomic(path string, force bool) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), tempPrefix+filepath.Base(path)+"-*")
	if err != nil {
		return nil, unwrapPath(err)
	}
	return &atomicFile{File: f, final: path, force: force}, nil
}

// Commit puts the finished file in place. Without force it links rather than
// renames, so a file that appeared since createAtomic is still not replaced.
func (a *atomicFile) Commit() error {
	tmp := a.Name()
	err := a.Chmod(0o644)
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if a.force {
			err = os.Rename(tmp, a.final)
		} else {
			err = os.Link(tmp, a.final)
			if errors.Is(err, fs.ErrExist) {
				err = ErrExists
			} else if err != nil {
				// Some filesystems cannot link; fall back to a rename.
				err = os.Rename(tmp, a.final)
			}
		}
	}
	os.Remove(tmp) // after a link, or after a failure
	return unwrapPath(err)
}

// Abort removes the temporary file.
func (a *atomicFile) Abort() {
	a.Close()
	os.Remove(a.Name())
}

// unwrapPath drops the operation and path an *fs.PathError repeats, since
// every message already names the file.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// IsTemp reports whether name is one of rlec's temporary outputs.
func IsTemp(name string) bool { return strings.HasPrefix(filepath.Base(name), tempPrefix) }

// checkOutput refuses, before any work, an output that exists without force.
func checkOutput(path string, force bool) error {
	if path == Stdio || force {
		return nil
	}
	if _, err := os.Lstat(path); err == nil {
		return ErrExists
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot check the output: %w", unwrapPath(err))
	}
	return nil
}
