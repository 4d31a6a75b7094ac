package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/strategy"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// IOStreams are the streams a command reads and writes, injected so that
// commands run in-process in tests.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// InIsTerminal, OutIsTerminal and ErrIsTerminal say whether In, Out and
	// ErrOut are terminals: with no file named, input is read from In only
	// if it is not one; binary data is not written to one; and progress is
	// shown only on one.
	InIsTerminal, OutIsTerminal, ErrIsTerminal bool
	// ArmSignals installs the process's handlers for SIGINT and SIGTERM,
	// which cancel the command's context; nil in tests. Commands call it
	// before making anything a killed process would leave behind.
	ArmSignals func()
	// KeepOnBrokenPipe makes a write to a closed pipe fail with EPIPE
	// instead of ending the process (SIGPIPE), for a batch, whose work
	// must not stop because its messages have no reader; nil in tests.
	KeepOnBrokenPipe func()
}

// armSignals calls ArmSignals, if there is one.
func (s *IOStreams) armSignals() {
	if s.ArmSignals != nil {
		s.ArmSignals()
	}
}

func systemStreams() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		InIsTerminal:  fileio.IsTerminal(os.Stdin),
		OutIsTerminal: fileio.IsTerminal(os.Stdout),
		ErrIsTerminal: fileio.IsTerminal(os.Stderr),
	}
}

// inputsOrStdin returns the files a command line names or, when it names
// none, standard input: rlec then works as a filter in a pipeline, as gzip
// and zstd do. Typed at a terminal with no file, the command is a usage
// error rather than a wait for keyboard input.
func (s *IOStreams) inputsOrStdin(files []string) ([]string, error) {
	if len(files) > 0 {
		return files, nil
	}
	if s.InIsTerminal {
		return nil, usagef("no input: name a file, or pipe one into standard input")
	}
	return []string{fileio.Stdio}, nil
}

// selfCommand builds the command that runs rlec itself, for the process
// strategy. Tests replace it to re-execute the test binary.
var selfCommand = func(ctx context.Context, args ...string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	return exec.CommandContext(ctx, exe, args...)
}

// extraCommands are added by files built only with a build tag.
var extraCommands []func() *cobra.Command

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1 // a file could not be converted
	exitUsage   = 2 // the command line is wrong
	// exitBrokenPipe is the status a shell reports for a process that
	// SIGPIPE killed: rlec's, when the reader of its output went away.
	exitBrokenPipe = 128 + 13
)

// usageError is a command line that cannot be run.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// errReported means the failures were already printed, one per file.
var errReported = errors.New("some files failed")

// errBrokenPipe means the reader of standard output went away (head, a pager
// quit early); like gzip, rlec then ends quietly.
var errBrokenPipe = errors.New("standard output closed")

// runtimeError marks an error that came from running a command, not from
// parsing its command line.
type runtimeError struct{ err error }

func (e runtimeError) Error() string { return e.err.Error() }
func (e runtimeError) Unwrap() error { return e.err }

// run executes one rlec command line and returns its exit status.
func run(ctx context.Context, args []string, streams *IOStreams) int {
	root := newRootCmd(streams)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	var rt runtimeError
	var usage usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &usage) || !errors.As(err, &rt):
		fmt.Fprintf(streams.ErrOut, "rlec: %v\nRun '%s --help' for usage.\n", err, cmd.CommandPath())
		return exitUsage
	case errors.Is(err, errReported):
		return exitFailure
	case errors.Is(err, errBrokenPipe):
		return exitBrokenPipe
	default:
		fmt.Fprintf(streams.ErrOut, "rlec: %v\n", err)
		return exitFailure
	}
}

func newRootCmd(streams *IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "rlec",
		Short: "Compress black-and-white images to run-length .rle files, and back",
		Long: `rlec compresses black-and-white (1-bit) images into the run-length format of
the image-compression case study in Python 3 Object-Oriented Programming, byte
for byte as its reference tool does, and decompresses them back to BMP, PBM,
PNG or TIFF. It reads BMP, PNG, TIFF, PNM, GIF and lossless WebP, making grey
and colour images black and white as the reference does.`,
		Version:       version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	global := &globalFlags{}
	root.PersistentFlags().BoolVarP(&global.quiet, "quiet", "q", false, "print nothing but errors")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newFileCmd(streams, job.Compress),
		newFileCmd(streams, job.Decompress),
		newDirCmd(streams, global, job.Compress),
		newDirCmd(streams, global, job.Decompress),
		newInfoCmd(streams),
		newVerifyCmd(streams, global),
		newBenchCmd(streams),
	)
	for _, extra := range extraCommands {
		root.AddCommand(extra())
	}
	return root
}

// runE adapts a run function so that its errors are told apart from cobra's
// command-line errors.
func runE(f func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := f(cmd, args); err != nil {
			var usage usageError
			if errors.As(err, &usage) {
				return err
			}
			return runtimeError{err}
		}
		return nil
	}
}

// strategyFlags are the flags that choose where the work runs.
type strategyFlags struct {
	name string
	jobs int
}

func (f *strategyFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&f.name, "strategy", "s", strategy.Default,
		fmt.Sprintf("where the work runs: %v", strategy.Names()))
	// 0 stands for the number of CPUs, worked out when the command runs,
	// not when the help or the man pages were made.
	cmd.Flags().IntVarP(&f.jobs, "jobs", "j", 0, "workers (pool) or child processes (process) at once; 0 or none: the number of CPUs rlec may use")
}

func (f *strategyFlags) resolve() (strategy.Strategy, error) {
	switch {
	case f.jobs < 0:
		return nil, usagef("--jobs must be 0 (the number of CPUs) or more, not %d", f.jobs)
	case f.jobs == 0:
		// GOMAXPROCS, not NumCPU: in a container it is the CPU quota (a
		// Kubernetes CPU limit, say), not every core of the machine.
		f.jobs = runtime.GOMAXPROCS(0)
	}
	s, err := strategy.Lookup(f.name)
	if err != nil {
		return nil, usageError{err}
	}
	return s, nil
}
