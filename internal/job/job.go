// Package job names the unit of rlec's work: one file converted into
// another, and what became of it.
package job

// Op is what a job does to its file.
type Op int

const (
	Compress   Op = iota // an image to .rle
	Decompress           // .rle to an image
)

func (op Op) String() string {
	if op == Decompress {
		return "decompress"
	}
	return "compress"
}

// Job is one file to convert. In and Out are paths, or "-" for standard
// input and output (fileio.Stdio). Format is the format a decompression
// writes, as --format names it ("bmp", "png"); "" is BMP.
type Job struct {
	Op     Op
	In     string
	Out    string
	Format string
}

// Result is the outcome of one job.
type Result struct {
	Job
	InBytes, OutBytes int64
	Err               error // a *FileError naming the file at fault, or nil
}

// FileError is a job's failure, naming the file it concerns.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }
