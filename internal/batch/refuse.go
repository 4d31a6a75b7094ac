package batch

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rlec/rlec/internal/job"
)

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
func Refused(batch, jobs []job.Job) map[job.Job]error {
	writers := map[string][]string{} // output -> inputs that write it
	inputs := map[string]bool{}
	for _, j := range batch {
		out := filepath.Clean(j.Out)
		writers[out] = append(writers[out], j.In)
		inputs[filepath.Clean(j.In)] = true
	}
	refused := map[job.Job]error{}
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
