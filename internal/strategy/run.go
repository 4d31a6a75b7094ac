package strategy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/fileio"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/rle"
)

// converter is how an in-process strategy converts one image: where its
// rows are read, encoded or decoded, and written. Errors reading the input
// are wrapped in inputError.
type converter struct {
	// encode writes img in .rle form to w.
	encode func(ctx context.Context, img codec.Image, w io.Writer) error
	// decode writes the image of the .rle file data to w in the target's
	// format. data has passed rle.NewDecoder.
	decode func(ctx context.Context, data []byte, t target, w io.Writer) error
}

// inputError is a failure to read the input met while writing the output.
type inputError struct{ error }

func (e inputError) Unwrap() error { return e.error }

// runJob converts one file in this process: open and check the input,
// convert it into the output's sink, and put the output in place. A failure
// names the file at fault and leaves no output behind that can be taken
// back.
func runJob(ctx context.Context, j job.Job, opt Options, conv converter) job.Result {
	res := job.Result{Job: j}
	inName, outName := fileio.Name(j.In, "stdin"), fileio.Name(j.Out, "stdout")
	fail := func(path string, err error) job.Result {
		if errors.As(err, new(inputError)) || errors.Is(err, fileio.ErrSameFile) {
			path = inName
		}
		res.Err = &job.FileError{Path: path, Err: fileio.UnwrapPath(err)}
		return res
	}
	out, err := fileio.CheckOutput(j.In, j.Out, opt.Force, opt.Stdin, opt.Stdout)
	if err != nil {
		return fail(outName, err)
	}
	if err := ctx.Err(); err != nil {
		return fail(inName, err)
	}
	in, err := fileio.OpenInput(j.In, opt.Stdin)
	if err != nil {
		return fail(inName, err)
	}
	defer in.Close()
	var write func(w io.Writer) error
	if j.Op == job.Decompress {
		ws := workspaces.Get().(*workspace)
		defer workspaces.Put(ws)
		data, release, err := in.Bytes(ws.input, new(rle.Bound))
		if err != nil {
			return fail(inName, err)
		}
		defer release()
		if err := guardFaults(data, func() error { // before any output is made
			_, err := rle.NewDecoder(data)
			return err
		}); err != nil {
			return fail(inName, hinted(data, err))
		}
		t := target{format: codec.Writer(cmp.Or(j.Format, "bmp")), opt: opt.Write}
		if t.format == nil {
			return fail(outName, fmt.Errorf("rlec does not write %q images (it writes %s)", j.Format, strings.Join(codec.Writers(), ", ")))
		}
		write = func(w io.Writer) error {
			return hinted(data, guardFaults(data, func() error { return conv.decode(ctx, data, t, w) }))
		}
	} else {
		img, _, err := codec.Open(in, in.Size)
		if err != nil {
			return fail(inName, err)
		}
		write = func(w io.Writer) error { return conv.encode(ctx, img, w) }
	}
	if err := ctx.Err(); err != nil {
		return fail(inName, err)
	}
	sink, err := fileio.OpenSink(out, fileio.SinkOptions{Force: opt.Force, Stdout: opt.Stdout, Guard: opt.Guard})
	if err != nil {
		return fail(outName, err)
	}
	err = write(sink)
	if err == nil {
		err = ctx.Err() // interrupted: keep nothing half-done
	}
	if err != nil {
		sink.Abort()
		return fail(outName, err)
	}
	res.InBytes, res.OutBytes = in.BytesRead(), sink.Size()
	if err := sink.Commit(); err != nil {
		return fail(outName, err)
	}
	return res
}

// guardFaults runs fn, which reads data, a mapped input perhaps, turning a
// fault reading data into an inputError (fileio.GuardFaults).
func guardFaults(data []byte, fn func() error) error {
	err := fileio.GuardFaults(data, fn)
	if errors.Is(err, fileio.ErrInputFault) && !errors.As(err, new(inputError)) {
		return inputError{err}
	}
	return err
}

// hinted adds to a fault found reading data as .rle what the file is
// instead, when its first bytes say (codec.Hint). The bytes are read
// inside guardFaults, as data may be a mapped file, and only on a fault.
func hinted(data []byte, err error) error {
	if !errors.As(err, new(*rle.Error)) {
		return err
	}
	var hint string
	guardFaults(data, func() error { hint = codec.Hint(data); return nil })
	return rle.WithHint(err, hint)
}

// closeDecoder checks that dec read all its rows and nothing follows them.
func closeDecoder(dec *rle.Decoder) error {
	if _, err := dec.Close(); err != nil {
		return inputError{err}
	}
	return nil
}

// runEach runs jobs one after another in this process.
func runEach(ctx context.Context, jobs []job.Job, opt Options, conv converter, report func(job.Result)) {
	for _, j := range jobs {
		if ctx.Err() != nil {
			return
		}
		report(runJob(ctx, j, opt, conv))
	}
}
