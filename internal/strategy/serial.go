package strategy

import (
	"context"
	"io"
	"slices"

	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/codec/bmp"
	"github.com/rlec/rlec/internal/job"
	"github.com/rlec/rlec/internal/rle"
)

// Serial converts image after image, row after row, on one goroutine: the
// baseline the others are measured against.
type Serial struct{}

func (Serial) Name() string { return "serial" }

func (Serial) Bounded() bool { return false }

func (Serial) Run(ctx context.Context, jobs []job.Job, opt Options, report func(job.Result)) {
	runEach(ctx, jobs, opt, serialConverter, report)
}

// serialConverter does all the work of an image on the calling goroutine.
var serialConverter = converter{encode: encodeSerial, decode: decodeSerial}

// encodeSerial encodes an image block after block on this goroutine, each
// block read into one band, reused, so the image is never held whole.
func encodeSerial(_ context.Context, img codec.Image, w io.Writer) error {
	ws := workspaces.Get().(*workspace)
	defer workspaces.Put(ws)
	r := newRowReader(img, rowsAt(img), ws)
	width, height := img.Size()
	enc, err := rle.NewWriter(w, width, height, ws.out)
	if err != nil {
		return inputError{err}
	}
	defer func() { ws.out = enc.Buffer() }()
	rows := rowsPerBlock(width)
	for y0 := 0; y0 < height; y0 += rows {
		block, err := r.rows(y0, min(y0+rows, height))
		if err != nil {
			return err
		}
		if err := enc.WriteRows(block); err != nil {
			return err
		}
	}
	return enc.Close()
}

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
// last, each written as soon as it is decoded: the reader of the pipe works
// while rlec decodes, and the image is never held whole.
func decodeStream(ctx context.Context, data []byte, dec *rle.Decoder, w io.Writer) error {
	if _, err := rle.Scan(data); err != nil {
		return inputError{err}
	}
	h := dec.Header()
	stride := bmp.Stride(h.Width)
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
	if _, err := w.Write(bmp.Header(h.Width, h.Height)); err != nil {
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
