package tiff

import (
	"fmt"
	"slices"
)

// rowReader gives the image's stored rows in order, top row first: for
// each plane, the row's decoded samples, packed as the file packs them.
//
// Strips are read as they are decoded, a row at a time from each plane's
// strip, so that a strip of any height takes a row of memory; so are
// tiles as wide as the image. Other tiles are decoded a row of tiles at a
// time, each tile into a buffer of its own that later rows of tiles reuse,
// and the image's rows are put together from them.
type rowReader struct {
	l    *layout
	decs []*decoder // one a plane; one for all when rows of tiles are buffered
	y    int
	// tiles[p*across+c] holds the decoded rows of tile c of plane p in the
	// current row of tiles.
	tiles [][]byte
	wide  []byte // a row of a tile wider than the image
}

func newRowReader(f *file, l *layout) *rowReader {
	rr := &rowReader{l: l}
	n := l.planes()
	if l.tiled && l.across > 1 {
		n = 1
		rr.tiles = make([][]byte, l.planes()*l.across)
	}
	for range n {
		rr.decs = append(rr.decs, newDecoder(f, l))
	}
	return rr
}

// rowBytes is the size of a row of the image in one plane.
func (rr *rowReader) rowBytes() int { return rr.l.rowBytes(rr.l.width) }

// next reads the next row of each plane into rows[p], each at least
// rowBytes long.
func (rr *rowReader) next(rows [][]byte) error {
	l := rr.l
	if rr.y >= l.height {
		return fmt.Errorf("read past the last row")
	}
	r, i := rr.y/l.blockH, rr.y%l.blockH
	if l.across == 1 {
		for p, d := range rr.decs {
			if i == 0 {
				if err := d.open(l.block(p, r, 0), l.blockW, l.blockRows(r)); err != nil {
					return err
				}
			}
			dst := rows[p]
			if l.blockW > l.width {
				if rr.wide == nil {
					rr.wide = make([]byte, l.rowBytes(l.blockW))
				}
				dst = rr.wide
			}
			if err := d.readRow(dst); err != nil {
				return err
			}
			if l.blockW > l.width {
				copy(rows[p], dst)
			}
		}
		rr.y++
		return nil
	}
	if i == 0 {
		if err := rr.readTiles(r); err != nil {
			return err
		}
	}
	tb := l.rowBytes(l.blockW)
	bits := l.pixelBits()
	for p := range l.planes() {
		dst := rows[p]
		for c := range l.across {
			n := min(l.blockW, l.width-c*l.blockW) // pixels of this tile in the image
			src := rr.tiles[p*l.across+c][i*tb:]
			copyBits(dst, c*l.blockW*bits, src, n*bits)
		}
	}
	rr.y++
	return nil
}

// readTiles decodes the tiles of row r of tiles, every plane.
func (rr *rowReader) readTiles(r int) error {
	l, d := rr.l, rr.decs[0]
	rows, tb := l.blockRows(r), l.rowBytes(l.blockW)
	for p := range l.planes() {
		for c := range l.across {
			if err := d.open(l.block(p, r, c), l.blockW, rows); err != nil {
				return err
			}
			buf := rr.tiles[p*l.across+c][:0]
			for range rows {
				// The buffer grows with what is decoded, never ahead of it.
				buf = slices.Grow(buf, tb)[:len(buf)+tb]
				if err := d.readRow(buf[len(buf)-tb:]); err != nil {
					return err
				}
			}
			rr.tiles[p*l.across+c] = buf
		}
	}
	return nil
}

// copyBits copies n bits from the start of src to dst, starting at bit
// off of dst, most significant bit first. Bits of dst past the copy in
// its last byte may be overwritten.
func copyBits(dst []byte, off int, src []byte, n int) {
	if off%8 == 0 {
		copy(dst[off/8:], src[:(n+7)/8])
		return
	}
	for i := range n {
		bit := src[i/8] >> (7 - i%8) & 1
		j := off + i
		if bit != 0 {
			dst[j/8] |= 0x80 >> (j % 8)
		} else {
			dst[j/8] &^= 0x80 >> (j % 8)
		}
	}
}
