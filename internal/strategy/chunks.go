package strategy

import (
	"context"
	"io"
	"sync"

	"github.com/rlec/rlec/internal/codec/bmp"
	"github.com/rlec/rlec/internal/rle"
)

// chunkSize is the size of the pieces a decompressed BMP is written in.
// Each piece starts at a multiple of chunkSize in the file, so that the page
// cache takes it in large pages (folios), which writes faster than pieces
// starting anywhere, as whole rows do (docs/performance.md). Larger pieces
// gain little more, and each goroutine's piece is fresh memory, whose
// every page costs a fault the first time it is touched.
const chunkSize = 128 << 10

// bmpChunks cuts the BMP file of a .rle image into chunks, at multiples of
// chunkSize, and hands them out in the order their rows are in the .rle
// file: top of the image first, which is the end of the BMP file.
//
// Chunks for several goroutines come with decoders of their own, for the
// rows whose bytes they hold, cut off the file's decoder by
// rle.Decoder.Split, which finds where rows end without decoding them; a
// row whose bytes straddle two chunks is decoded for each. One goroutine
// instead reads every row from the file's decoder in turn, and carries a
// straddling row over to the next chunk: for it, splitting would only add
// to the time of decoding.
type bmpChunks struct {
	chunk  int64 // the chunks' size
	split  bool  // the chunks are for several goroutines
	h      rle.Header
	header []byte // the BMP's headers and palette, at the start of chunk 0
	stride int    // bytes per BMP row
	size   int64  // the BMP file's size

	mu      sync.Mutex
	dec     *rle.Decoder // the rows not yet handed out
	next    int          // the next chunk to hand out; they go down to 0
	pending *rle.Decoder // split: the row straddling the next chunk's end
	carry   bool         // not split: the same, decoded with the last chunk
}

// bmpChunk is a piece of a BMP file and where its rows come from.
type bmpChunk struct {
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

// newBMPChunks cuts the BMP of the image dec reads into chunks of the given
// size, or of a row's size, or of the headers', whichever is largest: the
// header is then in the first chunk, and a row meets at most two chunks.
// split says whether several goroutines take chunks.
func newBMPChunks(dec *rle.Decoder, chunk int64, split bool) *bmpChunks {
	h := dec.Header()
	c := &bmpChunks{
		split:  split,
		h:      h,
		header: bmp.Header(h.Width, h.Height),
		stride: bmp.Stride(h.Width),
		size:   bmp.Size(h.Width, h.Height),
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
	// Does the bottom row end in the chunk handed out next?
	straddles := c.stride > 0 && off > hs && (off-hs)%int64(c.stride) != 0
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
			return bmpChunk{}, false, inputError{err}
		}
		chunk.rows = append(chunk.rows, rowSource{dec: part, n: n, own: true})
	}
	if straddles {
		row, err := c.dec.Split(1)
		if err != nil {
			return bmpChunk{}, false, inputError{err}
		}
		chunk.rows = append(chunk.rows, rowSource{dec: row, n: 1, own: true})
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
	y := chunk.y0
	if chunk.carried {
		cw.copyPart(buf, chunk.off, y)
		y++
	}
	for _, src := range chunk.rows {
		for range src.n {
			at := cw.rowAt(chunk.off, y)
			if at >= 0 && at+len(cw.row) <= len(buf) {
				if err := src.dec.ReadRowBytes(buf[at : at+len(cw.row)]); err != nil {
					return inputError{err}
				}
			} else { // a row straddling the chunk's edge
				if err := src.dec.ReadRowBytes(cw.row); err != nil {
					return inputError{err}
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

// rowAt is where row y starts in the chunk at off: outside it, perhaps.
func (cw *chunkWriter) rowAt(off int64, y int) int {
	return int(bmp.RowOffset(cw.chunks.h.Width, cw.chunks.h.Height, y) - off)
}

// copyPart copies the part of row y, decoded in cw.row, that lies in the
// chunk at off into its bytes, buf.
func (cw *chunkWriter) copyPart(buf []byte, off int64, y int) {
	at := cw.rowAt(off, y)
	lo, hi := max(at, 0), min(at+len(cw.row), len(buf))
	copy(buf[lo:hi], cw.row[lo-at:hi-at])
}
