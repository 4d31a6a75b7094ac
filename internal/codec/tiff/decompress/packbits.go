package decompress

// packBits decodes PackBits as libtiff does: a run that would pass the end
// of the block is cut there, and a header of -128 does nothing. It works
// on the source's buffer directly, a code at a time, and keeps the state
// of a run or literal stretch that crosses the end of a row or of the
// buffer.
type packBits struct {
	src      *source
	rep, lit int  // bytes left of the current run or literal stretch
	b        byte // the byte a run repeats
	needByte int  // a run header was read, its byte not yet: the run's length
}

func (d *packBits) read(p []byte) error {
	for len(p) > 0 {
		switch {
		case d.rep > 0:
			n := min(d.rep, len(p))
			fill(p[:n], d.b)
			d.rep, p = d.rep-n, p[n:]
			continue
		case d.lit > 0:
			b, err := d.src.next()
			if err != nil {
				return err
			}
			n := copy(p[:min(len(p), d.lit)], b)
			d.src.skip(n)
			d.lit, p = d.lit-n, p[n:]
			continue
		case d.needByte > 0:
			b, err := d.src.ReadByte()
			if err != nil {
				return err
			}
			d.rep, d.b, d.needByte = d.needByte, b, 0
			continue
		}
		b, err := d.src.next()
		if err != nil {
			return err
		}
		i := 0
	codes:
		for len(p) > 0 && i < len(b) {
			switch n := int(int8(b[i])); {
			case n >= 0:
				n++
				if n > len(p) || i+1+n > len(b) {
					d.lit, i = n, i+1
					break codes
				}
				copy(p, b[i+1:i+1+n])
				p, i = p[n:], i+1+n
			case n == -128:
				i++
			default:
				n = 1 - n
				if i+1 == len(b) {
					d.needByte, i = n, i+1
					break codes
				}
				v := b[i+1]
				i += 2
				if n > len(p) {
					d.rep, d.b = n, v
					break codes
				}
				fill(p[:n], v)
				p = p[n:]
			}
		}
		d.src.skip(i)
	}
	return nil
}

// fill sets every byte of p to v.
func fill(p []byte, v byte) {
	if v == 0 {
		clear(p)
		return
	}
	if len(p) < 16 {
		for i := range p {
			p[i] = v
		}
		return
	}
	p[0] = v
	for n := 1; n < len(p); n *= 2 {
		copy(p[n:], p[:n])
	}
}
