package fileio

import (
	"io"
	"os"
)

// Sink is where a job's output goes: a temporary file given its name when
// the work is done, a regular file on standard output, or a stream.
type Sink interface {
	io.Writer
	// Commit puts the finished output in place.
	Commit() error
	// Abort takes back what can be taken back of a failed output: a
	// temporary file is removed, a redirected standard output emptied;
	// what went down a stream stays gone.
	Abort()
	// Size is how many bytes the output has.
	Size() int64
}

// SinkOptions are what making a sink needs besides the output's path.
type SinkOptions struct {
	// Force replaces an existing output, and writes to a terminal.
	Force bool
	// Stdout serves the output Stdio.
	Stdout io.Writer
	// Guard, when not nil, is called before a name is made for a
	// temporary file, which a killed process would leave behind.
	Guard func()
}

// Output is what CheckOutput found an output's path to be.
type Output struct {
	Path    string
	target  string // where a regular file is written: Path, or the file its links lead to
	inPlace bool   // a device, a named pipe or a socket
}

// OpenSink makes the sink of an output CheckOutput has checked. Sinks that
// can be written at any offset also implement io.WriterAt, and those that
// can allocate their room ahead Reserve(size int64) error.
func OpenSink(out Output, opt SinkOptions) (Sink, error) {
	switch {
	case out.Path == Stdio:
		if so, ok := regularStdout(opt.Stdout); ok {
			return so, nil
		}
		if f, ok := opt.Stdout.(*os.File); ok {
			growPipe(f)
		}
		return &stream{w: opt.Stdout}, nil
	case out.inPlace:
		f, err := openInPlace(out.Path, opt.Force)
		if err != nil {
			return nil, err
		}
		return &stream{w: f, close: f.Close}, nil
	}
	return createAtomic(out.target, opt.Force, opt.Guard)
}
