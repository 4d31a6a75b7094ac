package strategy

import (
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Exts gives the extensions of op's inputs and outputs.
func (op Op) Exts() (in, out string) {
	if op == Decompress {
		return ".rle", ".bmp"
	}
	return ".bmp", ".rle"
}

// Batch describes the files of a folder to convert, mirrored under OutDir.
type Batch struct {
	Op            Op
	InDir, OutDir string
	// Recursive walks subfolders too; links to folders below InDir are not
	// followed (InDir itself may be one).
	Recursive bool
	// Files, when not nil, names the inputs, relative to InDir, instead of
	// the folder's contents.
	Files []string
}

// Jobs lists the batch's jobs, sorted by input path: every file directly in
// InDir (or below it, with Recursive) whose extension is the op's input
// extension in any letter case, links to files followed.
func (b Batch) Jobs() ([]Job, error) {
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
	_, outExt := b.Op.Exts()
	jobs := make([]Job, 0, len(rels))
	for _, rel := range rels {
		out := rel
		if ext := filepath.Ext(rel); strings.EqualFold(ext, inExt(b.Op)) {
			out = strings.TrimSuffix(rel, ext)
		}
		jobs = append(jobs, Job{Op: b.Op, In: filepath.Join(b.InDir, rel), Out: filepath.Join(b.OutDir, out+outExt)})
	}
	slices.SortFunc(jobs, func(x, y Job) int { return strings.Compare(x.In, y.In) })
	return jobs, nil
}

func inExt(op Op) string {
	in, _ := op.Exts()
	return in
}

// walk lists the inputs found in InDir, relative to it.
func (b Batch) walk() ([]string, error) {
	ext := inExt(b.Op)
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
		if !strings.EqualFold(filepath.Ext(name), ext) || IsTemp(name) {
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
		return nil, fmt.Errorf("%s: %w", b.InDir, unwrapPath(err))
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

// Refused finds which of jobs (batch, or a shard of it) must not run, and
// why:
//
//   - those whose output another job of the batch also writes (page.bmp
//     and page.BMP both make page.rle), or reads as its input. Run anyway,
//     one would replace the other's output, which would then hold whichever
//     input finished last, or fail with a misleading "already exists". The
//     error names the other file. Paths are compared as written, cleaned.
//   - those whose input is neither a regular file nor a folder: a named
//     pipe, a socket or a device found in a folder would hold up the batch
//     until something wrote to it, or be read forever. (Named on its own
//     command line, such an input is read, as cat reads it.)
//
// Clashes are looked for in the whole batch, so that shards agree; inputs
// are looked at only in jobs. The other jobs are unaffected.
func Refused(batch, jobs []Job) map[Job]error {
	writers := map[string][]string{} // output -> inputs that write it
	inputs := map[string]bool{}
	for _, j := range batch {
		out := filepath.Clean(j.Out)
		writers[out] = append(writers[out], j.In)
		inputs[filepath.Clean(j.In)] = true
	}
	refused := map[Job]error{}
	for _, j := range jobs {
		out := filepath.Clean(j.Out)
		var others []string
		for _, in := range writers[out] {
			if in != j.In {
				others = append(others, in)
			}
		}
		switch {
		case len(others) > 0:
			refused[j] = fmt.Errorf("%s is the output of %s too; none of them is written", j.Out, strings.Join(others, " and "))
		case inputs[out]:
			refused[j] = fmt.Errorf("its output %s is an input of this batch too", j.Out)
		default:
			if fi, err := os.Stat(j.In); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
				refused[j] = fmt.Errorf("not a regular file (%s); a batch reads only regular files", fileKind(fi.Mode()))
			}
		}
	}
	return refused
}

// fileKind names the kind of a file that is not a regular one.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

// Shard keeps the jobs of shard k of n (0 <= k < n). A job's shard is a hash
// of its input's path relative to inDir, so N workers given the same batch,
// on one machine or many, each take a disjoint part and together take every
// file exactly once, whatever else the folder holds.
func Shard(jobs []Job, inDir string, k, n int) []Job {
	var kept []Job
	for _, j := range jobs {
		rel, err := filepath.Rel(inDir, j.In)
		if err != nil {
			rel = j.In
		}
		h := fnv.New64a()
		h.Write([]byte(filepath.ToSlash(rel)))
		if h.Sum64()%uint64(n) == uint64(k) {
			kept = append(kept, j)
		}
	}
	return kept
}

// ParseShard reads "K/N".
func ParseShard(s string) (k, n int, err error) {
	if _, err := fmt.Sscanf(s, "%d/%d", &k, &n); err != nil || n < 1 || k < 0 || k >= n || fmt.Sprintf("%d/%d", k, n) != s {
		return 0, 0, fmt.Errorf("--shard %q: want K/N with 0 <= K < N, such as 0/4", s)
	}
	return k, n, nil
}

// SkipFresh drops the jobs whose output exists and is not older than its
// input: work a previous run finished. Outputs are only ever renamed into
// place whole, so an existing output is a complete one.
func SkipFresh(jobs []Job) (kept []Job, skipped int) {
	for _, j := range jobs {
		if fresh(j) {
			skipped++
			continue
		}
		kept = append(kept, j)
	}
	return kept, skipped
}

func fresh(j Job) bool {
	out, err := os.Stat(j.Out)
	if err != nil {
		return false
	}
	in, err := os.Stat(j.In)
	return err == nil && !out.ModTime().Before(in.ModTime())
}
