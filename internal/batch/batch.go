// Package batch lists the files a folder command converts: a folder walked
// (or a list read), the outputs mirrored under another folder, jobs that
// must not run refused, shards taken, and finished work skipped.
package batch

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/job"
)

// InputExts are the extensions of op's inputs, lower case: every format
// rlec reads to compress, .rle to decompress.
func InputExts(op job.Op) []string {
	if op == job.Decompress {
		return []string{".rle"}
	}
	return codec.Exts()
}

// OutputExt is the extension of op's outputs: .rle, or that of the format
// a decompression writes (as --format names it; "" is BMP).
func OutputExt(op job.Op, format string) string {
	if op == job.Decompress {
		if f := codec.Writer(cmp.Or(format, "bmp")); f != nil {
			return f.WriteExts[0]
		}
	}
	return ".rle"
}

// OutputName is the output of op for the input name, when none is given:
// name with its extension replaced by op's output extension, or added to
// it when it is not one of op's inputs', as gzip and zstd name theirs.
func OutputName(op job.Op, name, format string) string {
	if isInput(name, InputExts(op)) {
		name = strings.TrimSuffix(name, filepath.Ext(name))
	}
	return name + OutputExt(op, format)
}

// isInput reports whether name has one of exts, in any letter case.
func isInput(name string, exts []string) bool {
	return slices.Contains(exts, strings.ToLower(filepath.Ext(name)))
}

// Batch describes the files of a folder to convert, mirrored under OutDir.
type Batch struct {
	Op            job.Op
	InDir, OutDir string
	// Format is what a decompression writes, as --format names it; "" is
	// BMP.
	Format string
	// Recursive walks subfolders too; links to folders below InDir are not
	// followed (InDir itself may be one).
	Recursive bool
	// Files, when not nil, names the inputs instead of the folder's
	// contents: paths as a shell takes them, relative to the working
	// folder or absolute, as find prints them; each must lie inside InDir.
	Files []string
}

// Listing is what a batch holds: its jobs, sorted by input path, and the
// entries that failed before any job could be made of them, each with its
// own error (an unreadable folder, a listed file outside InDir), in the
// order they were met.
type Listing struct {
	Jobs   []job.Job
	Failed []Failure
}

// Failure is an entry of a batch that failed alone.
type Failure struct {
	// Rel is the entry's path relative to InDir, which gives its shard, or,
	// for a listed file outside InDir, the path as listed.
	Rel string
	Err *job.FileError
}

// List lists the batch: every file directly in InDir (or below it, with
// Recursive) whose extension is one of the op's input extensions in any
// letter case, links to files followed; or the files listed. The error is
// for a batch that cannot be listed at all (InDir unreadable).
func (b Batch) List() (Listing, error) {
	var rels []string
	var l Listing
	if b.Files != nil {
		rels, l.Failed = b.listed()
	} else {
		var err error
		if rels, l.Failed, err = b.walk(); err != nil {
			return l, err
		}
	}
	l.Jobs = make([]job.Job, 0, len(rels))
	for _, rel := range rels {
		l.Jobs = append(l.Jobs, job.Job{Op: b.Op, In: filepath.Join(b.InDir, rel), Out: filepath.Join(b.OutDir, OutputName(b.Op, rel, b.Format)), Format: b.Format})
	}
	slices.SortFunc(l.Jobs, func(x, y job.Job) int { return strings.Compare(x.In, y.In) })
	return l, nil
}

// walk lists the inputs found in InDir, relative to it, and the folders
// below it that could not be read: those are reported, as find and tar
// report them, and the rest of the walk goes on.
func (b Batch) walk() (rels []string, failed []Failure, err error) {
	w := walker{b: b, exts: InputExts(b.Op)}
	w.outAbs, _ = filepath.Abs(b.OutDir)
	// IN_DIR given as a link to a folder is followed, as ls and find -H
	// follow it; links below it are not.
	if err := w.dir(b.InDir, true); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", b.InDir, fileio.UnwrapPath(err))
	}
	return w.rels, w.failed, nil
}

// walker walks a batch's folder.
type walker struct {
	b      Batch
	exts   []string
	outAbs string
	rels   []string
	failed []Failure
}

// dir lists the inputs in the folder at path, and in its subfolders when
// the batch is recursive. Only the top folder's failure is returned.
func (w *walker) dir(path string, top bool) error {
	entries, err := fileio.ReadDir(path)
	if err != nil {
		if top {
			return err
		}
		rel, _ := filepath.Rel(w.b.InDir, path)
		w.failed = append(w.failed, Failure{Rel: rel, Err: &job.FileError{Path: path, Err: fmt.Errorf("cannot read: %w", fileio.UnwrapPath(err))}})
		return nil
	}
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(path, name)
		if e.IsDir() {
			if abs, _ := filepath.Abs(p); w.b.Recursive && abs != w.outAbs {
				w.dir(p, false)
			}
			continue
		}
		if !isInput(name, w.exts) || fileio.IsTemp(name) {
			continue
		}
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			continue // a link to a folder; a broken link stays, to fail with its own message
		}
		rel, err := filepath.Rel(w.b.InDir, p)
		if err != nil {
			return err
		}
		w.rels = append(w.rels, rel)
	}
	return nil
}

// listed takes the listed files as a shell would, relative to the working
// folder or absolute, and returns their paths relative to InDir. A file
// outside InDir fails alone; a missing one fails when it is read.
func (b Batch) listed() (rels []string, failed []Failure) {
	inAbs, err := filepath.Abs(b.InDir)
	if err != nil {
		inAbs = b.InDir
	}
	seen := map[string]bool{}
	for _, name := range b.Files {
		if name == "" {
			continue
		}
		abs, err := filepath.Abs(name)
		if err != nil {
			abs = name
		}
		rel, err := filepath.Rel(inAbs, abs)
		if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			failed = append(failed, Failure{Rel: name, Err: &job.FileError{Path: name, Err: fmt.Errorf("not inside %s", b.InDir)}})
			continue
		}
		if !seen[rel] {
			seen[rel] = true
			rels = append(rels, rel)
		}
	}
	return rels, failed
}
