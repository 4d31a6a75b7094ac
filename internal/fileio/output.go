package fileio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrExists refuses to replace an output without --force.
var ErrExists = errors.New("already exists (use --force to replace it)")

// tempPrefix starts the name of every temporary output, so that leftovers of
// a killed process are recognisable.
const tempPrefix = ".rlec-tmp-"

// atomicFile is an output written under no name, or a temporary one, in the
// target folder and given its final name by Commit, so a reader of the final
// name sees the whole file or nothing.
type atomicFile struct {
	*os.File
	final string
	force bool
	named bool   // a named temporary file, which Commit and Abort remove
	guard func() // called before a name is made for a temporary file
}

// createAtomic starts an output. Where it can, it makes the file without a
// name (Linux's O_TMPFILE): a process killed before Commit then leaves
// nothing behind, with no signal handler to clean up. Elsewhere it makes a
// named temporary file, after calling guard, which installs the handlers
// that remove it. The caller has refused an existing output with
// checkOutput before any work; Commit refuses one that appeared since.
func createAtomic(path string, force bool, guard func()) (*atomicFile, error) {
	dir := filepath.Dir(path)
	if unnamedOutputs {
		f, err := createUnnamed(dir)
		if err == nil {
			return &atomicFile{File: f, final: path, force: force, guard: guard}, nil
		}
		if !unnamedUnsupported(err) { // no room, no handle left, no permission: a named file fails too
			return nil, err
		}
	}
	callGuard(guard)
	sweep(dir)
	for range 100 {
		tmp := tempName(path)
		f, err := openFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, outputMode)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, UnwrapPath(err)
		}
		// Locked, it is not taken for a leftover (sweep); and it must still
		// be the file the name gives, should a sweep have come first.
		if err := lockTemp(f); err != nil || !isNamed(f, tmp) {
			f.Close()
			continue
		}
		return &atomicFile{File: f, final: path, force: force, named: true}, nil
	}
	return nil, errors.New("cannot make a temporary file: too many names taken")
}

// outputMode is the mode outputs are made with, which the umask then
// narrows, as it does cp's and ImageMagick's outputs: 0644 with the usual
// umask 022, 0600 with a private 077.
const outputMode = 0o666

// tempName is a name for a temporary file beside path: recognisably rlec's
// and path's, yet short enough for any folder whatever path's length (most
// filesystems allow names of 255 bytes at most).
func tempName(path string) string {
	dir, base := filepath.Split(path)
	if len(base) > maxTempBase {
		base = strings.ToValidUTF8(base[:maxTempBase], "") // no half character
	}
	return filepath.Join(dir, tempPrefix+base+"-"+strconv.FormatUint(rand.Uint64(), 36))
}

// maxTempBase is how much of an output's name its temporary name repeats.
const maxTempBase = 64

// unnamedOutputs is turned off by tests of named temporary files.
var unnamedOutputs = true

func callGuard(guard func()) {
	if guard != nil {
		guard()
	}
}

// Commit puts the finished file in place. Without force it links rather than
// renames, so a file that appeared since createAtomic is still not replaced.
// A named temporary file is placed before it is closed, while it is locked
// (sweep).
func (a *atomicFile) Commit() error {
	var err error
	if a.force {
		a.keepMode()
	}
	if a.named {
		err = a.place(a.Name())
		os.Remove(a.Name()) // after a link, or after a failure
	} else {
		err = a.nameUnnamed()
	}
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	return UnwrapPath(err)
}

// isNamed reports whether path names the open file f.
func isNamed(f *os.File, path string) bool {
	held, err := f.Stat()
	if err != nil {
		return false
	}
	named, err := os.Lstat(path)
	return err == nil && os.SameFile(held, named)
}

// keepMode gives the output the permissions of the file it replaces, if
// any, as cp and editors do, so that replacing a private file does not make
// it readable by all. Only a best effort: a filesystem without permissions
// refuses, and the output is still written.
func (a *atomicFile) keepMode() {
	if fi, err := os.Stat(a.final); err == nil && fi.Mode().IsRegular() {
		a.Chmod(fi.Mode().Perm())
	}
}

// place gives the named temporary file tmp the final name.
func (a *atomicFile) place(tmp string) error {
	if a.force {
		return os.Rename(tmp, a.final)
	}
	err := os.Link(tmp, a.final)
	if errors.Is(err, fs.ErrExist) {
		return ErrExists
	}
	if err != nil {
		// Some filesystems cannot link; fall back to a rename.
		return os.Rename(tmp, a.final)
	}
	return nil
}

// nameUnnamed gives the unnamed file its final name. A link never replaces a
// file; to replace one (force), the file is linked to a temporary name and
// renamed over it.
func (a *atomicFile) nameUnnamed() error {
	err := linkUnnamed(a.File, a.final)
	if !errors.Is(err, fs.ErrExist) {
		return err
	}
	if !a.force {
		return ErrExists
	}
	callGuard(a.guard)
	// The temporary name is born locked (sweep), and leftovers of killed
	// processes that replaced files here are removed first.
	if err := lockTemp(a.File); err != nil {
		return err
	}
	sweep(filepath.Dir(a.final))
	for range 100 {
		tmp := tempName(a.final)
		err = linkUnnamed(a.File, tmp)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		err = os.Rename(tmp, a.final)
		if err != nil {
			os.Remove(tmp)
		}
		return err
	}
	return err
}

// Reserve allocates the room of an output of size bytes, where the
// filesystem can, so that a disk without room fails before the work and
// concurrent writes go faster. The file takes that size at once.
func (a *atomicFile) Reserve(size int64) error { return UnwrapPath(reserve(a.File, size)) }

// Size is the output's size so far.
func (a *atomicFile) Size() int64 {
	fi, err := a.Stat()
	if err != nil {
		return 0
	}
	return fi.Size()
}

// Abort drops the output: an unnamed file goes when it is closed.
func (a *atomicFile) Abort() {
	a.Close()
	if a.named {
		os.Remove(a.Name())
	}
}

// UnwrapPath drops the operation and path an *fs.PathError or *os.LinkError
// repeats, since every message of rlec's already names the file.
func UnwrapPath(err error) error {
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

// CheckOutput looks, before any work, at what an output's path names, and
// returns where to write it. Nothing: a new file at path. A regular file,
// through any symbolic links: refused without force, and with it replaced
// at the file the links lead to, so that they stay links. A device, a named
// pipe or a socket (/dev/null, /dev/stdout on a pipe): nothing is replaced,
// so it is written in place, as cp writes it, force or not; inPlace says so.
// A folder is refused, and so is the input itself, however it is named
// (./x, d/../x, a hard or symbolic link, standard input or output
// redirected to it), as cp refuses: with force the output would replace
// the input it is made from. stdin and stdout serve Stdio.
func CheckOutput(in, path string, force bool, stdin io.Reader, stdout io.Writer) (Output, error) {
	out := Output{Path: path, target: path}
	if in != Stdio && in == path {
		return out, ErrSameFile
	}
	if path == Stdio {
		if in != Stdio && sameFile(in, statOf(stdout)) {
			return out, ErrSameFile
		}
		return out, nil
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		if _, lerr := os.Lstat(path); lerr == nil && !force { // a link to nothing
			return out, ErrExists
		}
		return out, nil
	}
	switch {
	case err != nil:
		return out, fmt.Errorf("cannot check the output: %w", UnwrapPath(err))
	case fi.IsDir():
		return out, errors.New("is a directory")
	case !fi.Mode().IsRegular():
		out.inPlace = true
		return out, nil
	case in != Stdio && sameFile(in, fi), in == Stdio && sameInfo(statOf(stdin), fi):
		return out, ErrSameFile
	case !force:
		return out, ErrExists
	}
	if out.target, err = filepath.EvalSymlinks(path); err != nil {
		return out, fmt.Errorf("cannot check the output: %w", UnwrapPath(err))
	}
	return out, nil
}

// sameFile reports whether the file at path in is out.
func sameFile(in string, out os.FileInfo) bool {
	if out == nil {
		return false
	}
	fi, err := os.Stat(in)
	return err == nil && os.SameFile(fi, out)
}

// statOf describes a standard stream when it is a regular file, else nil.
func statOf(stream any) os.FileInfo {
	f, ok := stream.(*os.File)
	if !ok {
		return nil
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	return fi
}

func sameInfo(a, b os.FileInfo) bool { return a != nil && b != nil && os.SameFile(a, b) }

// ErrSameFile refuses an output that is the job's input; the error names the
// input.
var ErrSameFile = errors.New("input and output are the same file")
