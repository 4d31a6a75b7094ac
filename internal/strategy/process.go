package strategy

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/job"
)

// Process runs a child process per image, at most opt.Jobs at once: rlec
// re-executing itself on that one file with the serial strategy. Only file
// names cross the process boundary. A child that fails or dies fails its
// image alone, and its message is relayed.
type Process struct{}

func (Process) Name() string { return "process" }

func (Process) Bounded() bool { return true }

func (Process) Run(ctx context.Context, jobs []job.Job, opt Options, report func(job.Result)) {
	if opt.Guard != nil {
		opt.Guard()
	}
	// Children read and write nothing but their files: their standard
	// input and output are /dev/null, opened once, in blocking mode (as
	// exec would open it, it would be handed to the runtime's poller; see
	// messages).
	null, err := fileio.OpenNull()
	if err == nil {
		defer null.Close()
	}
	// Starting a child takes its parent six file handles at most: both
	// ends of the message pipe and of exec's own, and a handle to wait on
	// the child, with one to spare.
	limit := min(max(opt.Jobs, 1), fileio.JobsWithin(6))
	runBounded(ctx, jobs, limit, func(j job.Job) job.Result { return runChild(ctx, j, opt, null) }, report)
}

// childGrace is how long a child has to remove its temporary file after
// SIGTERM before it is killed.
const childGrace = 5 * time.Second

// maxChildStderr bounds what is kept of a child's messages.
const maxChildStderr = 64 << 10

func runChild(ctx context.Context, j job.Job, opt Options, null *os.File) job.Result {
	res := job.Result{Job: j}
	inName, outName := fileio.Name(j.In, "stdin"), fileio.Name(j.Out, "stdout")
	if _, err := fileio.CheckOutput(j.In, j.Out, opt.Force, opt.Stdin, opt.Stdout); err != nil {
		path := outName
		if errors.Is(err, fileio.ErrSameFile) {
			path = inName
		}
		res.Err = &job.FileError{Path: path, Err: err}
		return res
	}
	if opt.Command == nil {
		res.Err = &job.FileError{Path: inName, Err: errors.New("the process strategy has no command to run rlec with")}
		return res
	}
	args := []string{j.Op.String(), "--quiet", "--strategy", Serial{}.Name()}
	if opt.Force {
		args = append(args, "--force")
	}
	if j.Op == job.Decompress {
		args = append(args, "--format", cmp.Or(j.Format, "bmp"), "--dpi", strconv.Itoa(opt.Write.DPI))
		if opt.Write.Compression != "" {
			args = append(args, "--compression", opt.Write.Compression)
		}
	}
	cmd := opt.Command(ctx, append(args, "--", j.In, j.Out)...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = childGrace
	stderr, err := newMessages()
	if err != nil {
		res.Err = &job.FileError{Path: inName, Err: fmt.Errorf("cannot run a child process: %w", fileio.UnwrapPath(err))}
		return res
	}
	defer stderr.Close()
	cmd.Stderr = stderr.w
	if null != nil {
		cmd.Stdin, cmd.Stdout = null, null
	}
	if j.In == fileio.Stdio {
		cmd.Stdin = opt.Stdin
	}
	var stdout *errKeepingWriter
	if j.Out == fileio.Stdio {
		cmd.Stdout = opt.Stdout
		if _, ok := opt.Stdout.(*os.File); !ok { // copied through a pipe
			stdout = &errKeepingWriter{w: opt.Stdout}
			cmd.Stdout = stdout
		}
	}
	err = cmd.Start()
	stderr.started()
	if err == nil {
		err = cmd.Wait()
	}
	if err != nil {
		res.Err = childError(err, stderr.String(), inName, outName)
		if j.Out == fileio.Stdio {
			if werr := stdoutFault(err, stdout); werr != nil {
				res.Err = &job.FileError{Path: outName, Err: werr}
			}
		}
		return res
	}
	res.InBytes, res.OutBytes = fileSize(j.In), fileSize(j.Out)
	return res
}

// childError turns a child's failure into the error its parent reports: the
// child's own message when it gave one, else how it ended.
func childError(err error, stderr, inName, outName string) error {
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return &job.FileError{Path: inName, Err: fmt.Errorf("cannot run a child process: %w", err)}
	}
	if sig, ok := killedBy(exitErr); ok {
		return &job.FileError{Path: inName, Err: fmt.Errorf("child process killed by signal %v", sig)}
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	msg := strings.TrimPrefix(lines[len(lines)-1], "rlec: ")
	if msg == "" {
		return &job.FileError{Path: inName, Err: fmt.Errorf("child process exited with status %d", exitErr.ExitCode())}
	}
	for _, name := range []string{inName, outName} {
		if rest, ok := strings.CutPrefix(msg, name+": "); ok {
			return &job.FileError{Path: name, Err: errors.New(rest)}
		}
	}
	return &job.FileError{Path: inName, Err: errors.New(msg)}
}

// stdoutFault tells whether a child failed because its standard output
// did: the child dies of SIGPIPE when what it writes to is closed, and
// that, or the error of copying its output on, is the failure to report,
// not the signal.
func stdoutFault(err error, stdout *errKeepingWriter) error {
	if stdout != nil && stdout.err != nil {
		return stdout.err
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if sig, ok := killedBy(exitErr); ok && sig == syscall.SIGPIPE {
			return syscall.EPIPE
		}
	}
	return nil
}

// killedBy tells which signal ended a child, if one did.
func killedBy(exitErr *exec.ExitError) (syscall.Signal, bool) {
	ws, ok := exitErr.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return 0, false
	}
	return ws.Signal(), true
}

// errKeepingWriter passes writes on to w and keeps the first error.
type errKeepingWriter struct {
	w   io.Writer
	err error
}

func (r *errKeepingWriter) Write(p []byte) (int, error) {
	n, err := r.w.Write(p)
	if err != nil && r.err == nil {
		r.err = err
	}
	return n, err
}

func fileSize(path string) int64 {
	if path == fileio.Stdio {
		return 0
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// messages gathers what a child writes to its standard error, through a
// pipe rlec makes itself rather than through exec's: exec's pipe would be
// handed to the runtime's poller, and the poller's setup, should the
// process have no file handle left by then, ends the program instead of
// failing one child.
type messages struct {
	r, w *os.File
	buf  bytes.Buffer
	done chan struct{}
}

func newMessages() (*messages, error) {
	r, w, err := blockingPipe()
	if err != nil {
		return nil, err
	}
	m := &messages{r: r, w: w, done: make(chan struct{})}
	go func() {
		defer close(m.done)
		io.Copy(&m.buf, io.LimitReader(m.r, maxChildStderr))
		io.Copy(io.Discard, m.r) // the rest, so that the child never blocks
	}()
	return m, nil
}

// started closes the parent's copy of the writing end, once the child has
// its own (or failed to start), so that the reader sees the end when the
// child exits.
func (m *messages) started() { m.w.Close() }

// String waits for the child's messages to end and returns them.
func (m *messages) String() string {
	m.w.Close()
	<-m.done
	return m.buf.String()
}

func (m *messages) Close() {
	m.w.Close()
	<-m.done
	m.r.Close()
}
