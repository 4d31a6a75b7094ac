package strategy

import (
	"context"
	"io"
	"sync"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/rle"
)

// chunkSize is the size of the pieces a decompressed BMP is written in.
// Each piece starts at a multiple of chunkSize in the file, so that the page
// cache takes it in large pages (folios): a test program writing 5 MB into
// a new file took about two thirds of the time in aligned 256-KiB pieces
// that it took in 64-KiB pieces starting anywhere, as whole rows do.
const chunkSize = 256 << 10

// bmpChunks cuts the BMP file of a .rle image into chunks, at multiples of
// chunkSize, and hands them out in the order their rows are in the .rle
// file: top of the image first, which is the end of the BMP file. Each
// chunk comes with decoders for the rows whose bytes it holds, cut off the
// file's decoder as rle.Decoder.Split does, without decoding; a row whose
// bytes straddle two chunks is decoded for each. It is safe for concurrent
// use.
type bmpChunks struct {
	chunk   int64 // the chunks' size
	h       rle.Header
	header  []byte // the BMP's headers and palette, at the start of chunk 0
	stride  int    // bytes per BMP row
	size    int64  // the BMP file's size
	mu      sync.Mutex
	dec     *rle.Decoder // the rows not yet handed out
	next    int          // the next chunk to hand out; they go down to 0
	pending *rle.Decoder // the row straddling the next chunk's end, or nil
}

// bmpChunk is a piece of a BMP file and the decoders of its rows.
type bmpChunk struct {
	off  int64          // where it starts in the file
	size int            // its length
	y0   int            // its top row
	rows []*rle.Decoder // decoders for rows y0 onwards, in order
}

// newBMPChunks cuts the BMP of the image dec reads into chunks of the given
// size, or of a row's size, or of the headers', whichever is largest: the
// header is then in the first chunk, and a row meets at most two chunks.
func newBMPChunks(dec *rle.Decoder, chunk int64) *bmpChunks {
	h := dec.Header()
	c := &bmpChunks{
		h:      h,
		header: bitmap.BMPHeader(h.Width, h.Height),
		stride: bitmap.BMPStride(h.Width),
		size:   bitmap.BMPSize(h.Width, h.Height),
		dec:    dec,
	}
	c.chunk = max(chunk, int64(c.stride), int64(len(c.header)))
	c.next = c.count() - 1
	return c
}

// count is the number of chunks.
func (c *bmpChunks) count() int { return int((c.size + c.chunk - 1) / c.chunk) }

// take hands out the next chunk; ok is false when none is left.
func (c *bmpChunks) take() (chunk bmpChunk, ok bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.next < 0 {
		return bmpChunk{}, false, nil
	}
	off := int64(c.next) * c.chunk
	end := min(off+c.chunk, c.size)
	c.next--
	chunk = bmpChunk{off: off, size: int(end - off)}
	// The file rows whose bytes meet [off, end): rows are stored bottom-up
	// after the header, so file row m is image row Height-1-m.
	hs := int64(len(c.header))
	if c.h.Height == 0 || c.stride > 0 && end <= hs {
		return chunk, true, nil
	}
	first, last := 0, c.h.Height-1 // rows of no bytes: all in the one chunk
	if c.stride > 0 {
		first = int(max(off-hs, 0) / int64(c.stride))
		last = int((end - 1 - hs) / int64(c.stride))
	}
	chunk.y0 = c.h.Height - 1 - last
	n := last - first + 1 // image rows y0 .. y0+n-1
	if c.pending != nil { // the top row began in the chunk handed out before
		chunk.rows = append(chunk.rows, c.pending)
		c.pending = nil
		n--
	}
	straddles := c.stride > 0 && off > hs && (off-hs)%int64(c.stride) != 0
	if straddles { // the bottom row ends in the chunk handed out next
		n--
	}
	if n > 0 {
		part, err := c.dec.Split(n)
		if err != nil {
			return bmpChunk{}, false, inputError{err}
		}
		chunk.rows = append(chunk.rows, part)
	}
	if straddles {
		row, err := c.dec.Split(1)
		if err != nil {
			return bmpChunk{}, false, inputError{err}
		}
		chunk.rows = append(chunk.rows, row)
		c.pending = row.Copy()
	}
	return chunk, true, nil
}

// finish checks that nothing follows the last row in the .rle file.
func (c *bmpChunks) finish() error { return closeDecoder(c.dec) }

// writeChunks decodes and writes chunks with cw until none is left.
func writeChunks(ctx context.Context, chunks *bmpChunks, cw *chunkWriter) error {
	for ctx.Err() == nil {
		chunk, ok, err := chunks.take()
		if !ok {
			return err
		}
		if err := cw.write(chunk); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// chunkWriter decodes chunks and writes them. It uses its workspace's
// output buffer for a chunk, so the image is never held whole; each
// goroutine that decodes has its own.
type chunkWriter struct {
	w      io.WriterAt
	chunks *bmpChunks
	buf    []byte // a chunk
	row    []byte // a row that straddles the chunk's edge
}

func newChunkWriter(w io.WriterAt, chunks *bmpChunks, ws *workspace) *chunkWriter {
	// Sized once, for the largest chunk: growing it would touch fresh pages.
	buf := ws.outBuffer(int(min(chunks.chunk, chunks.size)) + chunks.stride)
	buf = buf[:cap(buf)]
	return &chunkWriter{w: w, chunks: chunks, buf: buf, row: buf[len(buf)-chunks.stride:]}
}

// write decodes the rows of chunk into its bytes and writes them.
func (cw *chunkWriter) write(chunk bmpChunk) error {
	buf := cw.buf[:chunk.size]
	if chunk.off == 0 {
		copy(buf, cw.chunks.header)
	}
	stride, y := cw.chunks.stride, chunk.y0
	for _, dec := range chunk.rows {
		for range dec.Rows() {
			at := bitmap.BMPRowOffset(cw.chunks.h.Width, cw.chunks.h.Height, y) - chunk.off
			if at >= 0 && at+int64(stride) <= int64(len(buf)) {
				if err := dec.ReadRowBytes(buf[at : at+int64(stride)]); err != nil {
					return inputError{err}
				}
			} else { // the part of a straddling row inside the chunk
				if err := dec.ReadRowBytes(cw.row); err != nil {
					return inputError{err}
				}
				lo, hi := max(at, 0), min(at+int64(stride), int64(len(buf)))
				copy(buf[lo:hi], cw.row[lo-at:hi-at])
			}
			y++
		}
		if err := closeDecoder(dec); err != nil {
			return err
		}
	}
	_, err := cw.w.WriteAt(buf, chunk.off)
	return err
}
