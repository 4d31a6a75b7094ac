package decompress

import "encoding/binary"

// undoPredictor restores a row of a block stored with a predictor, as
// libtiff does after LZW or Deflate: horizontal differencing (2) adds each
// sample to the one a pixel to its left, modulo its size; floating point
// (3) adds each byte to the one a pixel to its left and then puts the
// bytes of each value back together, most significant first, from the
// stretches of the row that hold them. Samples keep the file's byte order.
// tmp is scratch space for predictor 3, returned grown if need be.
func undoPredictor(row []byte, p Params, tmp []byte) []byte {
	stride := max(p.Samples, 1)
	order := p.order()
	switch {
	case p.Predictor == 3:
		if cap(tmp) < len(row) {
			tmp = make([]byte, len(row))
		}
		undoFloatPredictor(row, stride, order, tmp[:len(row)])
	case p.BitsPerSample == 8:
		for i := stride; i < len(row); i++ {
			row[i] += row[i-stride]
		}
	case p.BitsPerSample == 16:
		n := len(row) / 2
		for i := stride; i < n; i++ {
			order.PutUint16(row[2*i:], order.Uint16(row[2*i:])+order.Uint16(row[2*(i-stride):]))
		}
	case p.BitsPerSample == 32:
		n := len(row) / 4
		for i := stride; i < n; i++ {
			order.PutUint32(row[4*i:], order.Uint32(row[4*i:])+order.Uint32(row[4*(i-stride):]))
		}
	}
	return tmp
}

// undoFloatPredictor undoes predictor 3 on a row of 32-bit values.
func undoFloatPredictor(row []byte, stride int, order binary.ByteOrder, tmp []byte) {
	n := len(row) / 4 * 4
	row = row[:n]
	for i := stride; i < n; i++ {
		row[i] += row[i-stride]
	}
	copy(tmp, row)
	wc := n / 4
	for c := range wc {
		v := uint32(tmp[c])<<24 | uint32(tmp[wc+c])<<16 | uint32(tmp[2*wc+c])<<8 | uint32(tmp[3*wc+c])
		order.PutUint32(row[4*c:], v)
	}
}
