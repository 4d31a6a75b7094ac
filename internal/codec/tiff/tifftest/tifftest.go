// Package tifftest codes data as TIFF's PackBits and LZW compressions
// write it, for the tests of the TIFF reader and of its decompressors to
// make files with: rlec itself never writes LZW, and writes PackBits only
// as whole images. It is imported by tests only.
package tifftest

// PackBits codes each row of raw on its own, as libtiff does: runs of
// three or more equal bytes as runs, the rest as literal stretches.
func PackBits(raw []byte, rowBytes int) []byte {
	var out []byte
	for len(raw) > 0 {
		row := raw[:rowBytes]
		raw = raw[rowBytes:]
		for i := 0; i < len(row); {
			j := i + 1
			for j < len(row) && j-i < 128 && row[j] == row[i] {
				j++
			}
			if j-i >= 3 {
				out = append(out, byte(1-(j-i)), row[i])
				i = j
				continue
			}
			j = i
			for j < len(row) && j-i < 128 && !(j+2 < len(row) && row[j] == row[j+1] && row[j] == row[j+2]) {
				j++
			}
			out = append(out, byte(j-i-1))
			out = append(out, row[i:j]...)
			i = j
		}
	}
	return out
}

// LZW codes data as TIFF's LZW: new-style (codes most significant bit
// first, widened one code early, as libtiff writes them) or old-style. It
// clears the table when clearAt codes are defined, counting the entries
// past 4095, which no 12-bit code can name, without using them.
func LZW(data []byte, old bool, clearAt int) []byte {
	var out []byte
	var acc uint64
	var nacc uint
	width := uint(9)
	put := func(code int) {
		if old {
			acc |= uint64(code) << nacc
			nacc += width
			for nacc >= 8 {
				out = append(out, byte(acc))
				acc >>= 8
				nacc -= 8
			}
			return
		}
		acc = acc<<width | uint64(code)
		nacc += width
		for nacc >= 8 {
			out = append(out, byte(acc>>(nacc-8)))
			nacc -= 8
		}
	}
	dict := map[[2]int]int{}
	next := 258
	put(256)
	w := -1
	widen := func() {
		limit := 1 << width
		if old {
			limit++
		}
		if next >= limit && width < 12 {
			width++
		}
	}
	for _, c := range data {
		if w < 0 {
			w = int(c)
			continue
		}
		if k, ok := dict[[2]int{w, int(c)}]; ok {
			w = k
			continue
		}
		put(w)
		if next < 4096 {
			dict[[2]int{w, int(c)}] = next
		}
		next++
		widen()
		if next == clearAt {
			put(256)
			clear(dict)
			next, width = 258, 9
		}
		w = int(c)
	}
	if w >= 0 {
		put(w)
		next++
		widen()
	}
	put(257)
	if nacc > 0 {
		if old {
			out = append(out, byte(acc))
		} else {
			out = append(out, byte(acc<<(8-nacc)))
		}
	}
	return out
}
