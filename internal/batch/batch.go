// Package batch lists the files a folder command converts: a folder walked
// (or a list read), the outputs mirrored under another folder, jobs that
// must not run refused, shards taken, and finished work skipped.
package batch

import (
	"fmt"
	"io/fs"
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

// OutputExt is the extension of op's outputs.
func OutputExt(op job.Op) string {
	if op == job.Decompress {
		return ".bmp"
	}
	return ".rle"
}

// OutputName is the output of op for the input name, when none is given:
// name with its extension replaced by op's output extension, or added to
// it when it is not one of op's inputs', as gzip and zstd name theirs.
func OutputName(op job.Op, name string) string {
	if isInput(name, InputExts(op)) {
		name = strings.TrimSuffix(name, filepath.Ext(name))
	}
	return name + OutputExt(op)
}

// isInput reports whether name has one of exts, in any letter case.
func isInput(name string, exts []string) bool {
	return slices.Contains(exts, strings.ToLower(filepath.Ext(name)))
}

// Batch describes the files of a folder to convert, mirrored under OutDir.
type Batch struct {
	Op            job.Op
	InDir, OutDir string
	// Recursive walks subfolders too; links to folders below InDir are not
	// followed (InDir itself may be one).
	Recursive bool
	// Files, when not nil, names the inputs, relative to InDir, instead of
	// the folder's contents.
	Files []string
}

// Jobs lists the batch's jobs, sorted by input path: every file directly in
// InDir (or below it, with Recursive) whose extension is one of the op's
// input extensions in any letter case, links to files followed.
func (b Batch) Jobs() ([]job.Job, error) {
	var rels []string
	var err error
	if b.Files != nil {
		rels, err = b.listed()
	} else {
		rels, err = b.walk()
	}
	if err != nil {
		return nil, err
	}
	jobs := make([]job.Job, 0, len(rels))
	for _, rel := range rels {
		jobs = append(jobs, job.Job{Op: b.Op, In: filepath.Join(b.InDir, rel), Out: filepath.Join(b.OutDir, OutputName(b.Op, rel))})
	}
	slices.SortFunc(jobs, func(x, y job.Job) int { return strings.Compare(x.In, y.In) })
	return jobs, nil
}

// walk lists the inputs found in InDir, relative to it.
func (b Batch) walk() ([]string, error) {
	exts := InputExts(b.Op)
	outAbs, _ := filepath.Abs(b.OutDir)
	var rels []string
	// IN_DIR given as a link to a folder is followed, as ls and find -H
	// follow it (the trailing separator makes WalkDir do so); links below it
	// are not.
	root := b.InDir
	if fi, err := os.Lstat(root); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		root += string(filepath.Separator)
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			return nil // an unreadable subfolder is passed over
		}
		if d.IsDir() {
			if path == root {
				return nil
			}
			if abs, _ := filepath.Abs(path); !b.Recursive || abs == outAbs {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		if !isInput(name, exts) || fileio.IsTemp(name) {
			return nil
		}
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			return nil // a link to a folder; a broken link stays, to fail with its own message
		}
		rel, err := filepath.Rel(b.InDir, path)
		if err != nil {
			return err
		}
		rels = append(rels, rel)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.InDir, fileio.UnwrapPath(err))
	}
	return rels, nil
}

// listed checks the named inputs: each must lie inside InDir.
func (b Batch) listed() ([]string, error) {
	var rels []string
	seen := map[string]bool{}
	for _, name := range b.Files {
		if name == "" {
			continue
		}
		rel := filepath.Clean(name)
		if filepath.IsAbs(rel) {
			var err error
			if rel, err = filepath.Rel(b.InDir, rel); err != nil {
				return nil, fmt.Errorf("%s: not inside %s", name, b.InDir)
			}
		}
		if rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("%s: not inside %s", name, b.InDir)
		}
		if !seen[rel] {
			seen[rel] = true
			rels = append(rels, rel)
		}
	}
	return rels, nil
}
