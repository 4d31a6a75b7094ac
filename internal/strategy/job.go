package strategy

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/rle"
)

// imageEncoder writes bm in .rle form to w. The in-process strategies differ
// in where the rows of one image are encoded.
type imageEncoder func(ctx context.Context, bm *bitmap.Bitmap, w io.Writer) error

// runJob converts one file in this process: read and decode the input,
// encode to a temporary output, and put it in place. A failure names the file
// at fault and leaves no output behind.
func runJob(ctx context.Context, j Job, opt Options, enc imageEncoder) Result {
	res := Result{Job: j}
	inName, outName := stdioName(j.In, "stdin"), stdioName(j.Out, "stdout")
	fail := func(path string, err error) Result {
		res.Err = &FileError{Path: path, Err: unwrapPath(err)}
		return res
	}
	if err := checkOutput(j.Out, opt.Force); err != nil {
		return fail(outName, err)
	}
	if err := ctx.Err(); err != nil {
		return fail(inName, err)
	}
	bm, size, err := readInput(j, opt.Stdin)
	if err != nil {
		return fail(inName, err)
	}
	res.InBytes = size
	if err := ctx.Err(); err != nil {
		return fail(inName, err)
	}
	write := func(w io.Writer) error {
		if j.Op == Decompress {
			return bitmap.Encode(w, bm)
		}
		return enc(ctx, bm, w)
	}
	if j.Out == Stdio {
		cw := &countingWriter{w: opt.Stdout}
		err = write(cw)
		res.OutBytes = cw.n
		if err != nil {
			return fail(outName, err)
		}
		return res
	}
	out, err := createAtomic(j.Out, opt.Force)
	if err != nil {
		return fail(outName, err)
	}
	cw := &countingWriter{w: out}
	if err := write(cw); err != nil {
		out.Abort()
		return fail(outName, err)
	}
	if err := ctx.Err(); err != nil { // interrupted: keep nothing half-done
		out.Abort()
		return fail(outName, err)
	}
	if err := out.Commit(); err != nil {
		return fail(outName, err)
	}
	res.OutBytes = cw.n
	return res
}

func stdioName(path, std string) string {
	if path == Stdio {
		return std
	}
	return path
}

// readInput reads and decodes a job's input and returns the input's size.
// Input of unknown length (a pipe, a terminal) is read whole first, so that
// every size a header claims is checked against real data before anything is
// allocated.
func readInput(j Job, stdin io.Reader) (*bitmap.Bitmap, int64, error) {
	r, size := stdin, int64(-1)
	if j.In != Stdio {
		f, err := os.Open(j.In)
		if err != nil {
			return nil, 0, err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return nil, 0, err
		}
		if fi.IsDir() {
			return nil, 0, errors.New("is a directory")
		}
		if fi.Mode().IsRegular() {
			size = fi.Size()
		}
		r = f
	}
	if size < 0 || j.Op == Decompress {
		var buf bytes.Buffer
		buf.Grow(int(max(size, 0)) + bytes.MinRead)
		if _, err := buf.ReadFrom(r); err != nil {
			return nil, 0, err
		}
		data := buf.Bytes()
		if j.Op == Decompress {
			bm, err := rle.Decode(data)
			return bm, int64(len(data)), err
		}
		r, size = bytes.NewReader(data), int64(len(data))
	} else {
		r = bufio.NewReaderSize(r, 64<<10)
	}
	bm, err := bitmap.Decode(r, size)
	return bm, size, err
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
