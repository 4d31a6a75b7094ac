package strategy

import (
	"context"
	"io"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/rle"
)

// Serial converts image after image, row after row, on one goroutine: the
// baseline the others are measured against.
type Serial struct{}

func (Serial) Name() string { return "serial" }

func (Serial) Run(ctx context.Context, jobs []Job, opt Options, report func(Result)) {
	runEach(ctx, jobs, opt, serialConverter, report)
}

// serialConverter does all the work of an image on the calling goroutine.
var serialConverter = converter{encode: encodeSerial, decode: decodeSerial}

// encodeSerial encodes an image block after block on this goroutine. A
// 1-bit file is read a band at a time, so the image is never held whole;
// other files are decoded first.
func encodeSerial(_ context.Context, src *bitmap.File, w io.Writer) error {
	full, err := decodeUnlessBanded(src)
	if err != nil {
		return err
	}
	ws := workspaces.Get().(*workspace)
	defer workspaces.Put(ws)
	r := &rowReader{src: src, full: full, ws: ws}
	rows := rowsPerBlock(src.Width)
	buf := rle.AppendHeader(ws.outBuffer(flushSize+src.Width*rows), src.Width, src.Height)
	defer func() { ws.out = buf[:0] }()
	for y0 := 0; y0 < src.Height; y0 += rows {
		block, err := r.rows(y0, min(y0+rows, src.Height))
		if err != nil {
			return err
		}
		buf = rle.AppendRows(buf, block)
		if len(buf) >= flushSize {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	_, err = w.Write(buf)
	return err
}

// flushSize is how much encoded data is gathered before a write.
const flushSize = 256 << 10

// decodeSerial decodes an image on this goroutine. A file is written a
// chunk at a time (bmpChunks), so the image is never held whole; a stream,
// written in file order (bottom row first), gets the whole image.
func decodeSerial(ctx context.Context, data []byte, w io.Writer) error {
	dec, err := rle.NewDecoder(data)
	if err != nil {
		return inputError{err}
	}
	h := dec.Header()
	wa, ok := w.(io.WriterAt)
	if !ok {
		bmp := make([]byte, bitmap.BMPSize(h.Width, h.Height))
		pixels := bmp[copy(bmp, bitmap.BMPHeader(h.Width, h.Height)):]
		if err := readBMPRows(dec, pixels, h.Height); err != nil {
			return err
		}
		if err := closeDecoder(dec); err != nil {
			return err
		}
		_, err := w.Write(bmp)
		return err
	}
	ws := workspaces.Get().(*workspace)
	defer workspaces.Put(ws)
	chunks := newBMPChunks(dec, chunkSize, false)
	err = writeChunks(ctx, chunks, newChunkWriter(wa, chunks, ws))
	if err == nil {
		err = chunks.finish()
	}
	return err
}

// readBMPRows decodes the next n rows with dec into dst as the pixels of a
// 1-bit BMP: bottom-up, len(dst)/n bytes a row.
func readBMPRows(dec *rle.Decoder, dst []byte, n int) error {
	stride := len(dst) / max(n, 1)
	for i := range n {
		if err := dec.ReadRowBytes(dst[(n-1-i)*stride : (n-i)*stride]); err != nil {
			return inputError{err}
		}
	}
	return nil
}

// runEach runs jobs one after another in this process.
func runEach(ctx context.Context, jobs []Job, opt Options, conv converter, report func(Result)) {
	for _, j := range jobs {
		if ctx.Err() != nil {
			return
		}
		report(runJob(ctx, j, opt, conv))
	}
}
