package zstream

import (
	"bufio"
	"errors"
	"io"
)

// Near the end of the image data, what Pillow makes of a stream that is
// cut short, corrupt or ends early depends on how zlib and Pillow's decoder
// work through the last bytes, which compress/flate, decoding ahead, cannot
// tell:
//
//   - zlib hands over every symbol whose bits it has; compress/flate asks
//     for as many bits as the block's end-of-block code has before it
//     decodes a symbol, so the last few symbols before a cut never come
//     out of it;
//   - Pillow asks zlib for a row at a time, and only while it has input
//     left: a row that zlib could finish from bits it has already taken
//     in, or from a match it has begun copying, is never asked for;
//   - after a row, zlib goes on decoding until it must write, as far as
//     the block of data it was given: the end of the stream met there is
//     reported with the row, and so are a bad checksum and corrupt data;
//     once the image is complete, Pillow goes on from that block's chunk.
//
// cutRows decodes the stream again, bit by bit as zlib does (after zlib's
// puff.c), taking in bytes when zlib would, in the blocks Pillow hands it,
// with the rows as Pillow asks for them. It is slow, and runs only where
// compress/flate has met one of these near the image's end.

var (
	// errCorrupt stops the decoding at data zlib refuses.
	errCorrupt = errors.New("corrupt data")
	// errStop stops it where Pillow stops.
	errStop = errors.New("stop")
)

// replayed is the image data read again for cutRows: its zlib stream, the
// header read, and the spans of the file it is in (nil for one block of
// all of it).
type replayed struct {
	r     *bufio.Reader
	spans [][2]int64
}

// blocks walks Pillow's blocks of the image data: up to BlockSize bytes of
// one span each.
type blocks struct {
	spans [][2]int64
	i     int   // the span the block is in
	base  int64 // where span i starts, in bytes of data from the header
	end   int64 // where the block ends, likewise
}

func newBlocks(spans [][2]int64) *blocks {
	b := &blocks{spans: spans, i: -1}
	b.next()
	return b
}

// next moves to the next block; past the last, one without end.
func (b *blocks) next() {
	if b.i >= 0 {
		if end := b.base + b.spans[b.i][1] - b.spans[b.i][0]; b.end < end {
			b.end = min(b.end+BlockSize, end)
			return
		}
	}
	for {
		if b.i >= 0 {
			b.base += b.spans[b.i][1] - b.spans[b.i][0]
		}
		if b.i++; b.i == len(b.spans) {
			b.end = 1 << 62
			return
		}
		if n := b.spans[b.i][1] - b.spans[b.i][0]; n > 0 {
			b.end = b.base + min(BlockSize, n)
			return
		}
	}
}

// Pillow is what Pillow would have made of the data, decoded again by
// Reader.Again or Reader.Salvage.
type Pillow struct {
	Rows    int    // the rows it has
	tail    []byte // their bytes past skip, and those of the row after them
	Corrupt bool   // zlib refused data before Pillow stopped
	// Span is the span of the data (Source.Replay) zlib was given when it
	// completed the last row, -1 if it never did: Pillow goes on from its
	// chunk.
	Span int
	// End reports that zlib read the stream's checksum in the call that
	// wrote its last row: it reports the stream's end with the row.
	End bool
}

// cutRows decodes the zlib stream in rows of rowSize(0), rowSize(1) ...
// bytes, as zlib and Pillow would. Once the image is complete, zlib goes
// on decoding as far as the block it was given, and may meet corrupt data
// there.
func cutRows(d replayed, rowSize func(int) int, rows int, skip int64) Pillow {
	p := &puff{r: d.r, limit: -1, pulled: 2, rowSize: rowSize, rows: rows, skip: skip,
		window: make([]byte, 1<<15), done: -1}
	if d.spans != nil {
		p.blocks = newBlocks(d.spans)
	}
	err := p.inflate()
	return Pillow{Rows: p.row, tail: p.tail, Corrupt: err == errCorrupt, Span: p.done, End: p.end}
}

type puff struct {
	r      *bufio.Reader
	blocks *blocks // the block zlib is given
	pulled int64   // bytes taken in
	done   int     // the span zlib was in when it completed the last row
	limit  int64   // after the image's last row, the end of zlib's block
	bits   uint32  // bits taken in and not yet used, the next in the low bits
	nbits  uint
	window []byte // the last 32 KiB of the output, as a ring
	out    int64  // bytes of output so far

	rowSize   func(int) int
	rows      int  // the rows of the image
	row, fill int  // the row being filled, and its bytes so far
	full      bool // a row is complete: zlib has stopped writing for now
	rowCall   bool // the zlib call that completed the last row goes on
	end       bool // it read the stream's checksum
	skip      int64
	tail      []byte // output past skip
}

// exhausted reports whether zlib has taken in all of the block it was
// given. Pillow then gives it the next.
func (p *puff) exhausted() bool {
	return p.blocks != nil && p.pulled >= p.blocks.end
}

// need returns the next n bits, or fails at the end of the data.
func (p *puff) need(n uint) (uint32, error) {
	for p.nbits < n {
		if p.pulled == p.limit {
			return 0, io.EOF
		}
		b, err := p.r.ReadByte()
		if err != nil {
			return 0, err
		}
		if p.exhausted() {
			p.blocks.next()
			p.rowCall = false
		}
		p.pulled++
		p.bits |= uint32(b) << p.nbits
		p.nbits += 8
	}
	v := p.bits & (1<<n - 1)
	p.bits >>= n
	p.nbits -= n
	return v, nil
}

// emit writes a byte of output, as Pillow asks for it: false when Pillow
// stops before it.
func (p *puff) emit(b byte) bool {
	if !p.room() {
		return false
	}
	p.window[p.out&(1<<15-1)] = b
	p.out++
	if p.out > p.skip {
		p.tail = append(p.tail, b)
	}
	if p.fill++; p.fill == p.rowSize(p.row) {
		p.row, p.fill, p.full, p.rowCall = p.row+1, 0, true, true
		if p.row == p.rows {
			// Pillow is done after this zlib call, which goes on
			// decoding only as far as the block it was given.
			if p.blocks != nil {
				p.done, p.limit = p.blocks.i, p.blocks.end
			}
		}
	}
	return true
}

// room reports whether zlib writes the next byte of output. Once a row is
// complete, the zlib call that completed it has ended, and Pillow calls
// again if it needs more rows and zlib has input left, in the block it
// has or the next.
func (p *puff) room() bool {
	if p.full {
		if _, err := p.r.Peek(1); err != nil || p.row == p.rows {
			return false
		}
		if p.exhausted() {
			p.blocks.next()
		}
		p.full, p.rowCall = false, false
	}
	return true
}

// inflate decodes blocks until the data ends, Pillow stops (errStop) or
// the data is corrupt (errCorrupt); after the last block, it reads the
// checksum, from the next whole byte.
func (p *puff) inflate() error {
	if err := p.deflate(); err != nil {
		return err
	}
	p.bits >>= p.nbits & 7
	p.nbits -= p.nbits & 7
	if _, err := p.need(16); err != nil {
		return err
	}
	if _, err := p.need(16); err != nil {
		return err
	}
	p.end = p.rowCall
	return nil
}

// deflate decodes the stream's blocks.
func (p *puff) deflate() error {
	for {
		final, err := p.need(1)
		if err != nil {
			return err
		}
		kind, err := p.need(2)
		if err != nil {
			return err
		}
		switch kind {
		case 0:
			err = p.stored()
		case 1:
			err = p.codes(&fixedLit, &fixedDist)
		case 2:
			var lit, dist huffman
			if err = p.tables(&lit, &dist); err == nil {
				err = p.codes(&lit, &dist)
			}
		default:
			err = errCorrupt
		}
		if err != nil || final == 1 {
			return err
		}
	}
}

// stored copies a stored block, byte by byte as its bytes come.
func (p *puff) stored() error {
	p.bits, p.nbits = 0, 0
	v, err := p.need(32)
	if err != nil {
		return err
	}
	n := v & 0xffff
	if n != ^(v>>16)&0xffff {
		return errCorrupt
	}
	for range n {
		b, err := p.need(8)
		if err != nil {
			return err
		}
		if !p.emit(byte(b)) {
			return errStop
		}
	}
	return nil
}

// huffman is a canonical Huffman code: how many codes of each length, and
// the symbols in code order.
type huffman struct {
	count  [16]uint16
	symbol [288]uint16
}

// build makes the code of the given code lengths, and reports whether
// zlib takes them in a dynamic block: no length over-subscribed, and no
// code incomplete but one of a single 1-bit code (an empty code is taken,
// and fails on use). The fixed distance code is incomplete.
func (h *huffman) build(lengths []uint8) bool {
	*h = huffman{}
	for _, l := range lengths {
		h.count[l]++
	}
	h.count[0] = 0
	var offs [16]uint16
	for l := 1; l < 15; l++ {
		offs[l+1] = offs[l] + h.count[l]
	}
	left, longest := 1, 0
	for l := 1; l < 16; l++ {
		left = left<<1 - int(h.count[l])
		if left < 0 {
			return false
		}
		if h.count[l] > 0 {
			longest = l
		}
	}
	for sym, l := range lengths {
		if l != 0 {
			h.symbol[offs[l]] = uint16(sym)
			offs[l]++
		}
	}
	return left == 0 || longest <= 1
}

// decode reads a symbol, a bit at a time.
func (p *puff) decode(h *huffman) (int, error) {
	if h.count == [16]uint16{} {
		// zlib's table for an empty code fails on the first bit.
		if _, err := p.need(1); err != nil {
			return 0, err
		}
		return 0, errCorrupt
	}
	code, first, index := 0, 0, 0
	for l := 1; l < 16; l++ {
		b, err := p.need(1)
		if err != nil {
			return 0, err
		}
		code |= int(b)
		count := int(h.count[l])
		if code-first < count {
			if i := index + code - first; i >= 0 && i < len(h.symbol) {
				return int(h.symbol[i]), nil
			}
			return 0, errCorrupt
		}
		index += count
		first = (first + count) << 1
		code <<= 1
	}
	return 0, errCorrupt
}

var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}

	fixedLit, fixedDist huffman
)

func init() {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	fixedLit.build(l[:])
	var d [30]uint8
	for i := range d {
		d[i] = 5
	}
	fixedDist.build(d[:])
}

// codes decodes the symbols of a block until its end, writing a match only
// once all its bits are read, as zlib does.
func (p *puff) codes(lit, dist *huffman) error {
	for {
		sym, err := p.decode(lit)
		if err != nil {
			return err
		}
		switch {
		case sym < 256:
			if !p.emit(byte(sym)) {
				return errStop
			}
			continue
		case sym == 256:
			return nil
		case sym > 285:
			return errCorrupt
		}
		sym -= 257
		extra, err := p.need(uint(lengthExtra[sym]))
		if err != nil {
			return err
		}
		n := int(lengthBase[sym]) + int(extra)
		ds, err := p.decode(dist)
		if err != nil {
			return err
		}
		if ds > 29 {
			return errCorrupt
		}
		extra, err = p.need(uint(distExtra[ds]))
		if err != nil {
			return err
		}
		// zlib checks the distance as it starts copying, which it does
		// not when its row is full.
		if !p.room() {
			return errStop
		}
		d := int64(distBase[ds]) + int64(extra)
		if d > p.out {
			return errCorrupt
		}
		for range n {
			if !p.emit(p.window[(p.out-d)&(1<<15-1)]) {
				return errStop
			}
		}
	}
}

// tables reads the code lengths of a dynamic block and builds its codes.
func (p *puff) tables(lit, dist *huffman) error {
	v, err := p.need(14)
	if err != nil {
		return err
	}
	nlen, ndist, ncode := int(v&31)+257, int(v>>5&31)+1, int(v>>10)+4
	if nlen > 286 || ndist > 30 {
		return errCorrupt
	}
	order := [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
	var lengths [320]uint8
	for i := range ncode {
		l, err := p.need(3)
		if err != nil {
			return err
		}
		lengths[order[i]] = uint8(l)
	}
	var lencode huffman
	if !lencode.build(lengths[:19]) {
		return errCorrupt
	}
	clear(lengths[:19])
	for i := 0; i < nlen+ndist; {
		sym, err := p.decode(&lencode)
		if err != nil {
			return err
		}
		if sym < 16 {
			lengths[i] = uint8(sym)
			i++
			continue
		}
		var l uint8
		var rep uint32
		switch sym {
		case 16:
			if i == 0 {
				return errCorrupt
			}
			l = lengths[i-1]
			rep, err = p.need(2)
			rep += 3
		case 17:
			rep, err = p.need(3)
			rep += 3
		default:
			rep, err = p.need(7)
			rep += 11
		}
		if err != nil {
			return err
		}
		if i+int(rep) > nlen+ndist {
			return errCorrupt
		}
		for range rep {
			lengths[i] = l
			i++
		}
	}
	if lengths[256] == 0 || !lit.build(lengths[:nlen]) || !dist.build(lengths[nlen:nlen+ndist]) {
		return errCorrupt
	}
	return nil
}
