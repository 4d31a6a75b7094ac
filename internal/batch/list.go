package batch

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/job"
)

// ReadList reads a list of files, one a line, or NUL-separated with null,
// from path (fileio.Stdio for stdin).
func ReadList(path string, stdin io.Reader, null bool) ([]string, error) {
	r := stdin
	if path != fileio.Stdio {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, fileio.UnwrapPath(err))
		}
		defer f.Close()
		r = f
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	if null {
		sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
			if i := bytes.IndexByte(data, 0); i >= 0 {
				return i + 1, data[:i], nil
			}
			if atEOF && len(data) > 0 {
				return len(data), data, nil
			}
			return 0, nil, nil
		})
	}
	files := []string{}
	for sc.Scan() {
		files = append(files, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", fileio.Name(path, "stdin"), err)
	}
	return files, nil
}

// MakeParents creates outDir and every folder the outputs of jobs go in.
func MakeParents(outDir string, jobs []job.Job) error {
	dirs := map[string]bool{outDir: true}
	for _, j := range jobs {
		dirs[filepath.Dir(j.Out)] = true
	}
	for d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("%s: %w", d, fileio.UnwrapPath(err))
		}
	}
	return nil
}
