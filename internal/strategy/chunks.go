package strategy

import (
	"context"
	"io"
	"sync"

	"github.com/rlec/rlec/internal/codec"
	"github.com/rlec/rlec/internal/rle"
)

// chunkSize is the size of the pieces a decompressed image is written in
// when its rows sit at fixed places (a BMP, a PBM). Each piece starts at a
// multiple of chunkSize in the file, so that the page cache takes it in
// large pages (folios), which writes faster than pieces starting anywhere,
// as whole rows do (docs/performance.md). Larger pieces gain little more,
// and each goroutine's piece is fresh memory, whose every page costs a
// fault the first time it is touched.
const chunkSize = 128 << 10

// layoutChunks cuts a file whose rows sit at fixed places (codec.Layout)
// into chunks, at multiples of the chunk size, and hands them out in the
// order their rows are in the .rle file: top of the image first, which is
// the end of a BMP and the start of a PBM.
//
// Chunks for several goroutines come with decoders of their own, for the
// rows whose bytes they hold, cut off the file's decoder by
// rle.Decoder.Split, which finds where rows end without decoding them; a
// row whose bytes straddle two chunks is decoded for each. One goroutine
// instead reads every row from the file's decoder in turn, and carries a
// straddling row over to the next chunk: for it, splitting would only add
// to the time of decoding.
type layoutChunks struct {
	chunk  int64 // the chunks' size
	split  bool  // the chunks are for several goroutines
	h      rle.Header
	layout *codec.Layout
	size   int64 // the file's size

	mu      sync.Mutex
	dec     *rle.Decoder // the rows not yet handed out
	handed  int          // chunks handed out
	pending *rle.Decoder // split: the row straddling into the next chunk
	carry   bool         // not split: the same, decoded with the last chunk
}

// fileChunk is a piece of the file and where its rows come from.
type fileChunk struct {
	off     int64       // where it starts in the file
	size    int         // its length
	y0      int         // its top row
	carried bool        // row y0 was decoded with the chunk before
	rows    []rowSource // the rest of its rows, in order
}

// rowSource is a decoder and how many rows to read from it.
type rowSource struct {
	dec *rle.Decoder
	n   int
	own bool // cut off for the chunk: it must have read all its rows
}

// newLayoutChunks cuts the file of the image dec reads, laid out as layout
// says, into chunks of the given size, or of a row's size, or of the
// header's, whichever is largest: the header is then in the first chunk,
// and a row meets at most two chunks. split says whether several
// goroutines take chunks.
func newLayoutChunks(dec *rle.Decoder, layout *codec.Layout, chunk int64, split bool) *layoutChunks {
	c := &layoutChunks{split: split, h: dec.Header(), layout: layout, size: layout.Size(), dec: dec}
	c.chunk = max(chunk, int64(layout.Stride), int64(len(layout.Header)))
	return c
}

// count is the number of chunks.
func (c *layoutChunks) count() int { return int((c.size + c.chunk - 1) / c.chunk) }

// take hands out the next chunk; ok is false when none is left.
func (c *layoutChunks) take() (chunk fileChunk, ok bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.handed == c.count() {
		return fileChunk{}, false, nil
	}
	index := c.handed // top-down: from the start of the file
	if c.layout.BottomUp {
		index = c.count() - 1 - c.handed // from its end
	}
	c.handed++
	off := int64(index) * c.chunk
	end := min(off+c.chunk, c.size)
	chunk = fileChunk{off: off, size: int(end - off)}
	// The stored rows whose bytes meet [off, end).
	hs, stride := int64(len(c.layout.Header)), int64(c.layout.Stride)
	if end <= hs {
		return chunk, true, nil
	}
	first := int(max(off-hs, 0) / stride)
	last := int((end - 1 - hs) / stride)
	n := last - first + 1 // image rows y0 .. y0+n-1
	chunk.y0 = first
	// Does the chunk's last row, in .rle order, go on into the chunk handed
	// out next? Stored bottom-up, that is the row the chunk starts in.
	straddles := end < c.size && (end-hs)%stride != 0
	if c.layout.BottomUp {
		chunk.y0 = c.h.Height - 1 - last
		straddles = off > hs && (off-hs)%stride != 0
	}
	if !c.split {
		chunk.carried, c.carry = c.carry, straddles
		if chunk.carried {
			n--
		}
		chunk.rows = []rowSource{{dec: c.dec, n: n}}
		return chunk, true, nil
	}
	if c.pending != nil { // the top row began in the chunk handed out before
		chunk.rows = append(chunk.rows, rowSource{dec: c.pending, n: 1, own: true})
		c.pending = nil
		n--
	}
	if straddles {
		n--
	}
	if n > 0 {
		part, err := c.dec.Split(n)
		if err != nil {
			return fileChunk{}, false, inputError{err}
		}
		chunk.rows = append(chunk.rows, rowSource{dec: part, n: n, own: true})
	}
	if straddles {
		row, err := c.dec.Split(1)
		if err != nil {
			return fileChunk{}, false, inputError{err}
		}
		chunk.rows = append(chunk.rows, rowSource{dec: row, n: 1, own: true})
		c.pending = row.Copy()
	}
	return chunk, true, nil
}

// finish checks that nothing follows the last row in the .rle file.
func (c *layoutChunks) finish() error { return closeDecoder(c.dec) }

// writeChunks decodes and writes chunks with cw until none is left.
func writeChunks(ctx context.Context, chunks *layoutChunks, cw *chunkWriter) error {
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
	chunks *layoutChunks
	buf    []byte // a chunk
	row    []byte // a row that straddles the chunk's edge
}

func newChunkWriter(w io.WriterAt, chunks *layoutChunks, ws *workspace) *chunkWriter {
	// Sized once, for the largest chunk: growing it would touch fresh pages.
	stride := chunks.layout.Stride
	buf := ws.outBuffer(int(min(chunks.chunk, chunks.size)) + stride)
	buf = buf[:cap(buf)]
	return &chunkWriter{w: w, chunks: chunks, buf: buf, row: buf[len(buf)-stride:]}
}

// write decodes the rows of chunk into its bytes and writes them.
func (cw *chunkWriter) write(chunk fileChunk) error {
	buf := cw.buf[:chunk.size]
	if chunk.off == 0 {
		copy(buf, cw.chunks.layout.Header)
	}
	y := chunk.y0
	if chunk.carried {
		cw.copyPart(buf, chunk.off, y)
		y++
	}
	for _, src := range chunk.rows {
		for range src.n {
			at := cw.rowAt(chunk.off, y)
			if at >= 0 && at+len(cw.row) <= len(buf) {
				if err := cw.readRow(src.dec, buf[at:at+len(cw.row)]); err != nil {
					return err
				}
			} else { // a row straddling the chunk's edge
				if err := cw.readRow(src.dec, cw.row); err != nil {
					return err
				}
				cw.copyPart(buf, chunk.off, y)
			}
			y++
		}
		if src.own {
			if err := closeDecoder(src.dec); err != nil {
				return err
			}
		}
	}
	_, err := cw.w.WriteAt(buf, chunk.off)
	return err
}

// readRow decodes the next row of dec into dst, a stored row.
func (cw *chunkWriter) readRow(dec *rle.Decoder, dst []byte) error {
	if err := dec.ReadRowBytes(dst, cw.chunks.layout.Invert); err != nil {
		return inputError{err}
	}
	return nil
}

// rowAt is where row y starts in the chunk at off: outside it, perhaps.
func (cw *chunkWriter) rowAt(off int64, y int) int {
	return int(cw.chunks.layout.RowOffset(y) - off)
}

// copyPart copies the part of row y, decoded in cw.row, that lies in the
// chunk at off into its bytes, buf.
func (cw *chunkWriter) copyPart(buf []byte, off int64, y int) {
	at := cw.rowAt(off, y)
	lo, hi := max(at, 0), min(at+len(cw.row), len(buf))
	copy(buf[lo:hi], cw.row[lo-at:hi-at])
}
