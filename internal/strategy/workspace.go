package strategy

import (
	"fmt"
	"sync"

	"github.com/rlec/rlec/internal/bitmap"
	"github.com/rlec/rlec/internal/codec"
)

// workspace is the memory a goroutine converts an image with: a band of
// rows, the band's bytes as the file has them, output gathered for a write,
// and a whole .rle file being decompressed. Each goroutine that converts
// takes one from workspaces and puts it back when done, so that the next
// image reuses it: fresh memory costs a page fault per 4 KiB first touched,
// and two threads faulting slow each other.
type workspace struct {
	band []uint64
	file []byte
	out  []byte
	in   []byte
}

var workspaces = sync.Pool{New: func() any { return new(workspace) }}

// newBand returns a band for blocks of rows of a width×height image, in the
// workspace's memory.
func (ws *workspace) newBand(width, height int) (*bitmap.Bitmap, error) {
	band, err := bitmap.NewIn(ws.band, width, min(rowsPerBlock(width), height))
	if err != nil {
		return nil, inputError{err}
	}
	ws.band = band.Words
	return band, nil
}

// outBuffer returns the workspace's output buffer, empty, with room for at
// least n bytes.
func (ws *workspace) outBuffer(n int) []byte {
	if cap(ws.out) < n {
		ws.out = make([]byte, 0, n)
	}
	return ws.out[:0]
}

// input returns the workspace's input buffer, n bytes long.
func (ws *workspace) input(n int64) []byte {
	if int64(cap(ws.in)) < n {
		ws.in = make([]byte, n)
	}
	return ws.in[:n]
}

// blockPixels is the size of one work item of a single image: large enough
// that handing it over costs little, small enough to spread the rows of a
// page over the workers evenly and to stay in cache.
const blockPixels = 1 << 19

// rowsPerBlock is how many rows of an image of this width make a block.
func rowsPerBlock(width int) int { return max(1, blockPixels/max(width, 1)) }

// rowReader hands out blocks of an image's rows, read into the band of its
// workspace, reused block after block, so the image is never held whole.
// One reader serves one goroutine; readers may share at.
type rowReader struct {
	width, height int
	at            codec.RowsAt
	ws            *workspace
	band          *bitmap.Bitmap
}

// newRowReader reads the rows of img, in any order if img can, else in
// order through at.
func newRowReader(img codec.Image, at codec.RowsAt, ws *workspace) *rowReader {
	w, h := img.Size()
	return &rowReader{width: w, height: h, at: at, ws: ws}
}

// rowsAt is how img's rows are read at a place: directly, when img can;
// else one band after another in order, each reader waiting for the rows
// before its own to be read.
func rowsAt(img codec.Image) codec.RowsAt {
	if at, ok := img.(codec.RowsAt); ok {
		return at
	}
	o := &inTurn{img: img}
	o.turn = sync.NewCond(&o.mu)
	return o
}

// rows returns image rows [y0, y1); y1-y0 is at most rowsPerBlock.
func (r *rowReader) rows(y0, y1 int) (*bitmap.Bitmap, error) {
	if r.band == nil {
		band, err := r.ws.newBand(r.width, r.height)
		if err != nil {
			return nil, err
		}
		r.band = band
	}
	block := r.band.Band(0, y1-y0)
	var err error
	if r.ws.file, err = r.at.ReadRowsAt(block, y0, r.ws.file); err != nil {
		return nil, inputError{err}
	}
	return block, nil
}

// inTurn reads the rows of an image that gives them only in order (a
// compressed or dithered one) for several goroutines, each band when the
// rows before it have been read. Goroutines ask for bands in the order
// they took them, so the one whose turn it is never waits on another.
type inTurn struct {
	img  codec.Image
	mu   sync.Mutex
	turn *sync.Cond
	next int   // the first row not yet read
	err  error // the failure that ended the reading
}

func (o *inTurn) ReadRowsAt(band *bitmap.Bitmap, y0 int, scratch []byte) ([]byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for o.err == nil && o.next < y0 {
		o.turn.Wait()
	}
	switch {
	case o.err != nil:
		return scratch, o.err
	case o.next != y0:
		return scratch, fmt.Errorf("strategy: rows %d.. asked for after row %d was read", y0, o.next)
	}
	if err := o.img.ReadRows(band); err != nil {
		o.err = err
	}
	o.next += band.Height
	o.turn.Broadcast()
	return scratch, o.err
}
