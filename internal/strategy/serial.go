package strategy

import (
	"context"
	"io"
	"slices"

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
// chunk at a time (bmpChunks), a stream a band at a time (decodeStream), so
// the image is never held whole.
func decodeSerial(ctx context.Context, data []byte, w io.Writer) error {
	dec, err := rle.NewDecoder(data)
	if err != nil {
		return inputError{err}
	}
	wa, ok := w.(io.WriterAt)
	if !ok {
		return decodeStream(ctx, data, dec, w)
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

// streamBandSize is about how many bytes of BMP rows decodeStream writes at
// a time.
const streamBandSize = 256 << 10

// decodeStream writes the image data holds, read by dec, as a BMP to w, a
// stream: in file order, so the image's last rows first, as a BMP stores
// its rows bottom-up. The whole file is checked first (rle.Scan, about two
// thirds of the time decoding takes), so that a bad one writes nothing.
// The rows are then cut into bands (Split, which finds where rows end
// without decoding them) and decoded into one buffer band by band from the
// last, each written as soon as it is decoded. Decoded whole before it was
// written, a 40-Mpixel page took 10.1 ms to go through a pipe to cat, in
// 5 MB of fresh memory; band by band it takes 7.8 ms.
func decodeStream(ctx context.Context, data []byte, dec *rle.Decoder, w io.Writer) error {
	if _, err := rle.Scan(data); err != nil {
		return inputError{err}
	}
	h := dec.Header()
	stride := bitmap.BMPStride(h.Width)
	rows := max(1, streamBandSize/max(stride, 1))
	bands := make([]*rle.Decoder, 0, (h.Height+rows-1)/rows)
	for y := 0; y < h.Height; y += rows {
		band, err := dec.Split(min(rows, h.Height-y))
		if err != nil {
			return inputError{err}
		}
		bands = append(bands, band)
	}
	if err := closeDecoder(dec); err != nil {
		return err
	}
	if _, err := w.Write(bitmap.BMPHeader(h.Width, h.Height)); err != nil {
		return err
	}
	buf := make([]byte, min(rows, h.Height)*stride)
	for i, band := range slices.Backward(bands) {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(rows, h.Height-i*rows)
		if err := readBMPRows(band, buf[:n*stride], n); err != nil {
			return err
		}
		if err := closeDecoder(band); err != nil {
			return err
		}
		if _, err := w.Write(buf[:n*stride]); err != nil {
			return err
		}
	}
	return nil
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
