package strategy

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/rle"
)

// target is what a decompression writes: the format and its settings.
type target struct {
	format *codec.Format
	opt    codec.WriteOptions
}

// open reads the header of the .rle file data, and says where the rows of
// its image sit in the target's file: nowhere fixed (nil) for formats
// written through an encoder.
func (t target) open(data []byte) (*rle.Decoder, *codec.Layout, error) {
	dec, err := rle.NewDecoder(data)
	if err != nil {
		return nil, nil, inputError{err}
	}
	if t.format.Layout == nil {
		return dec, nil, nil
	}
	h := dec.Header()
	layout, err := t.format.Layout(h.Width, h.Height, t.opt)
	return dec, layout, err
}

// decodeSerial decodes an image on this goroutine, so that it is never
// held whole: a file whose rows sit at fixed places is written a chunk at
// a time where the output can be written at offsets (layoutChunks), else a
// band at a time in file order (decodeStream); other formats go through
// their encoder band by band (decodeEncoded).
func decodeSerial(ctx context.Context, data []byte, t target, w io.Writer) error {
	dec, layout, err := t.open(data)
	if err != nil {
		return err
	}
	if layout == nil {
		return decodeEncoded(ctx, data, dec, t, w)
	}
	wa, ok := w.(io.WriterAt)
	if !ok {
		return decodeStream(ctx, data, dec, layout, w)
	}
	ws := workspaces.Get().(*workspace)
	defer workspaces.Put(ws)
	chunks := newLayoutChunks(dec, layout, chunkSize, false)
	err = writeChunks(ctx, chunks, newChunkWriter(wa, chunks, ws))
	if err == nil {
		err = chunks.finish()
	}
	return err
}

// streamBandSize is about how many bytes of rows decodeStream writes at a
// time.
const streamBandSize = 256 << 10

// decodeStream writes the image data holds, read by dec, to w, a stream, in
// file order: a BMP's last rows first, as it stores its rows bottom-up. The
// whole file is checked first (rle.Scan, about two thirds of the time
// decoding takes), so that a bad one writes nothing. The rows are then cut
// into bands (Split, which finds where rows end without decoding them) and
// decoded into one buffer band by band in file order, each written as soon
// as it is decoded: the reader of the pipe works while rlec decodes, and
// the image is never held whole.
func decodeStream(ctx context.Context, data []byte, dec *rle.Decoder, layout *codec.Layout, w io.Writer) error {
	if _, err := rle.Scan(data); err != nil {
		return inputError{err}
	}
	h := dec.Header()
	stride := layout.Stride
	rows := max(1, streamBandSize/stride)
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
	if _, err := w.Write(layout.Header); err != nil {
		return err
	}
	order := slices.Values(bands)
	if layout.BottomUp {
		order = func(yield func(*rle.Decoder) bool) {
			for _, b := range slices.Backward(bands) {
				if !yield(b) {
					return
				}
			}
		}
	}
	buf := make([]byte, min(rows, h.Height)*stride)
	for band := range order {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := len(buf) / stride
		if band == bands[len(bands)-1] {
			n = h.Height - (len(bands)-1)*rows
		}
		if err := readStoredRows(band, layout, buf[:n*stride], n); err != nil {
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

// readStoredRows decodes the next n rows with dec into dst as layout
// stores them, in file order.
func readStoredRows(dec *rle.Decoder, layout *codec.Layout, dst []byte, n int) error {
	stride := layout.Stride
	for i := range n {
		at := i
		if layout.BottomUp {
			at = n - 1 - i
		}
		if err := dec.ReadRowBytes(dst[at*stride:(at+1)*stride], layout.Invert); err != nil {
			return inputError{err}
		}
	}
	return nil
}

// decodeEncoded writes the image data holds, read by dec, through the
// target format's encoder, band by band. An output that cannot be taken
// back, a stream, has the whole file checked first (rle.Scan), so that a
// bad one writes nothing.
func decodeEncoded(ctx context.Context, data []byte, dec *rle.Decoder, t target, w io.Writer) error {
	if t.format.NewEncoder == nil {
		return fmt.Errorf("rlec does not write %s images", t.format.Name)
	}
	if _, ok := w.(io.WriterAt); !ok {
		if _, err := rle.Scan(data); err != nil {
			return inputError{err}
		}
	}
	h := dec.Header()
	enc, err := t.format.NewEncoder(w, h.Width, h.Height, t.opt)
	if err != nil {
		return err
	}
	ws := workspaces.Get().(*workspace)
	defer workspaces.Put(ws)
	band, err := bitmap.NewIn(ws.band, h.Width, min(rowsPerBlock(h.Width), h.Height))
	if err != nil {
		return err
	}
	ws.band = band.Words
	for y := 0; y < h.Height; y += band.Height {
		if err := ctx.Err(); err != nil {
			return err
		}
		b := band.Band(0, min(band.Height, h.Height-y))
		if err := dec.ReadRows(b); err != nil {
			return inputError{err}
		}
		if err := enc.WriteRows(b); err != nil {
			return err
		}
	}
	if err := closeDecoder(dec); err != nil {
		return err
	}
	return enc.Close()
}
