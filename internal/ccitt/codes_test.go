package ccitt

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/bitmap"
)

// packBits turns a string of 0s and 1s (spaces ignored) into bytes,
// padded with zeros.
func packBits(s string) []byte {
	s = strings.ReplaceAll(s, " ", "")
	out := make([]byte, (len(s)+7)/8)
	for i, c := range s {
		if c == '1' {
			out[i/8] |= 0x80 >> (i % 8)
		}
	}
	return out
}

// rowString shows a row as w and b.
func rowString(row []uint64, width int) string {
	b := make([]byte, width)
	for x := range b {
		b[x] = 'b'
		if row[x/64]>>(63-x%64)&1 == 1 {
			b[x] = 'w'
		}
	}
	return string(b)
}

const eol = "000000000001 "

// TestVertical decodes each vertical mode code, a change moved by -3 to 3
// pixels from the one above it.
func TestVertical(t *testing.T) {
	first := "001 1011 011 1 " // white 4, black 4, V0: black at 4-7
	for i, code := range vertCodes {
		d := i - 3
		t.Run(code, func(t *testing.T) {
			data := packBits(first + code + " 1 1")
			d0, err := NewDecoder(data, Options{Coding: T6, Width: 16, Height: 2})
			if err != nil {
				t.Fatal(err)
			}
			row := make([]uint64, 1)
			for range 2 {
				if err := d0.ReadRow(row); err != nil {
					t.Fatal(err)
				}
			}
			want := strings.Repeat("w", 4+d) + strings.Repeat("b", 4-d) + strings.Repeat("w", 8)
			if got := rowString(row, 16); got != want {
				t.Fatalf("got %s, want %s", got, want)
			}
		})
	}
}

// TestCodes decodes hand-made code sequences, one for each mode and each
// irregularity of real data. The codes are T.4's tables 1 to 4.
func TestCodes(t *testing.T) {
	for _, c := range []struct {
		name   string
		opt    Options
		bits   string
		rows   []string // decoded rows, then io.EOF unless err is set
		errMsg string   // expected error after the rows
	}{
		// T.6. A white reference row first: b1 is the row's end.
		{"t6/v0", Options{Coding: T6, Width: 8}, "1 1 " + eol + eol,
			[]string{"wwwwwwww", "wwwwwwww"}, ""},
		{"t6/horizontal", Options{Coding: T6, Width: 8}, "001 1000 11 1" + eol + eol,
			[]string{"wwwbbwww"}, ""},
		{"t6/black first", Options{Coding: T6, Width: 8}, "001 00110101 011 1",
			[]string{"bbbbwwww"}, ""},
		{"t6/black to the end", Options{Coding: T6, Width: 8}, "001 1000 0011",
			[]string{"wwwbbbbb"}, ""},
		{"t6/pass", Options{Coding: T6, Width: 16}, "001 1011 011 1 " + "0001 1",
			[]string{"wwwwbbbbwwwwwwww", "wwwwwwwwwwwwwwww"}, ""},
		{"t6/long runs", Options{Coding: T6, Width: 3000},
			"001 00110101 000000011111 000000110100 000000101000 " + // white 0, black 2560+384+56
				"001 000000011111 00110111 01011001 0000110111", // white 2560+384+56, black 0
			[]string{strings.Repeat("b", 3000), strings.Repeat("w", 3000)}, ""},
		{"t6/no EOFB", Options{Coding: T6, Width: 8, Height: 2}, "1 1",
			[]string{"wwwwwwww", "wwwwwwww"}, ""},
		{"t6/EOFB early", Options{Coding: T6, Width: 8, Height: 3}, "1 1" + eol + eol,
			[]string{"wwwwwwww", "wwwwwwww"}, "data ends at row 2"},
		{"t6/uncompressed", Options{Coding: T6, Width: 8}, "0000001 111",
			nil, "uncompressed mode (not supported) at row 0, pixel 0"},
		{"t6/bad code", Options{Coding: T6, Width: 8}, "1 00000001 1111",
			[]string{"wwwwwwww"}, "bad code at row 1, pixel 0"},
		{"t6/vertical behind", Options{Coding: T6, Width: 8}, "001 1011 010 1 " + "1 0000010",
			[]string{"wwwwbwww"}, "vertical code puts a change at pixel 2, behind the coding at row 1, pixel 4"},
		{"t6/vertical past the end", Options{Coding: T6, Width: 8}, "0000011",
			nil, "run past the 8-pixel width at row 0, pixel 11"},
		{"t6/run past the end", Options{Coding: T6, Width: 8}, "001 10100 0011",
			nil, "run past the 8-pixel width at row 0, pixel 9"},
		{"t6/EOL in a run", Options{Coding: T6, Width: 8}, "001 1000 " + eol,
			nil, "EOL inside a horizontal mode code at row 0, pixel 3"},
		{"t6/EOL in a row", Options{Coding: T6, Width: 8}, "001 1000 11 " + eol,
			nil, "EOL inside a row at row 0"},
		{"t6/data ends in a run", Options{Coding: T6, Width: 300}, "001 11011 0",
			nil, "data ends at row 0, pixel 64"},

		// T.4, one-dimensional.
		{"t4/eol", Options{Coding: T4, Width: 8}, eol + "10011 " + eol + "1000 0011",
			[]string{"wwwwwwww", "wwwbbbbb"}, ""},
		{"t4/no first eol", Options{Coding: T4, Width: 8}, "10011 " + eol + "1000 0011",
			[]string{"wwwwwwww", "wwwbbbbb"}, ""},
		{"t4/fill", Options{Coding: T4, Width: 8, FillBits: true}, "0000" + eol + "10011 0000000" + eol + "1000 0011",
			[]string{"wwwwwwww", "wwwbbbbb"}, ""},
		{"t4/undeclared fill", Options{Coding: T4, Width: 8}, "0000" + eol + "10011 0000000000000" + eol + "1000 0011",
			[]string{"wwwwwwww", "wwwbbbbb"}, ""},
		{"t4/leading EOLs and RTC", Options{Coding: T4, Width: 8}, eol + eol + eol + "10011 " + strings.Repeat(eol, 6),
			[]string{"wwwwwwww"}, ""},
		{"t4/no EOLs", Options{Coding: T4, Width: 8}, "10011 1000 0011",
			[]string{"wwwwwwww", "wwwbbbbb"}, ""},
		{"t4/codes after a row", Options{Coding: T4, Width: 8}, // skipped to the next EOL
			eol + "10011 00110101 " + eol + "1000 0011 0000110111 1011 " + eol + "1000 0011",
			[]string{"wwwwwwww", "wwwbbbbb", "wwwbbbbb"}, ""},
		{"t4/short rows", Options{Coding: T4, Width: 16}, // the rest is white
			eol + "1000 11 " + eol + "1000 " + eol + "1000 11 0111 0011 " + eol + "101010",
			[]string{"wwwbbwwwwwwwwwww", "wwwwwwwwwwwwwwww", "wwwbbwwbbbbbwwww", "wwwwwwwwwwwwwwww"}, ""},
		{"t4/make-up then EOL", Options{Coding: T4, Width: 200}, eol + "1000 0000001111 " + eol + "010111 10011",
			[]string{"www" + strings.Repeat("b", 64) + strings.Repeat("w", 133), strings.Repeat("w", 200)}, ""},
		{"t4/bad code", Options{Coding: T4, Width: 8}, eol + "000000001",
			nil, "bad code at row 0, pixel 0"},
		{"t4/rows missing", Options{Coding: T4, Width: 8, Height: 2}, eol + "10011 " + eol + eol,
			[]string{"wwwwwwww"}, "data ends at row 1"},

		// T.4, two-dimensional: each EOL is followed by a tag bit, 1 for a
		// one-dimensional row.
		{"t4-2d/mixed", Options{Coding: T4, Width: 16, TwoD: true},
			eol + "1 1011 011 10011 " + eol + "0 011 1 1 " + eol + "0 0001 1 " + eol + "1 101010",
			[]string{"wwwwbbbbwwwwwwww", "wwwwwbbbwwwwwwww", "wwwwwwwwwwwwwwww", "wwwwwwwwwwwwwwww"}, ""},
		{"t4-2d/first row 2d", Options{Coding: T4, Width: 8, TwoD: true}, eol + "0 001 1000 11 1",
			[]string{"wwwbbwww"}, ""},
		{"t4-2d/no first EOL", Options{Coding: T4, Width: 8, TwoD: true}, "1000 0011 " + eol + "0 1 1",
			[]string{"wwwbbbbb", "wwwbbbbb"}, ""},
		{"t4-2d/short row keeps its colour", Options{Coding: T4, Width: 16, TwoD: true},
			eol + "0 001 1000 11 0000010 " + eol + "1 101010",
			[]string{"wwwbbwwwwwwwwbbb", "wwwwwwwwwwwwwwww"}, ""},
		{"t4-2d/codes after a row", Options{Coding: T4, Width: 8, TwoD: true},
			eol + "1 1000 0011 00110101 " + eol + "0 1 1",
			[]string{"wwwbbbbb", "wwwbbbbb"}, ""},
		{"t4-2d/RTC", Options{Coding: T4, Width: 8, TwoD: true, FillBits: true}, "0000" + eol + "1 10011 " + strings.Repeat(eol+"1 ", 6),
			[]string{"wwwwwwww"}, ""},

		// Modified Huffman: no EOLs, each row on a byte boundary.
		{"mh/rows", Options{Coding: ModifiedHuffman, Width: 8}, "10011 101 1000 0011 10011", // padding ignored
			[]string{"wwwwwwww", "wwwbbbbb", "wwwwwwww"}, ""},
		{"mh/EOL", Options{Coding: ModifiedHuffman, Width: 8}, eol,
			nil, "EOL in modified Huffman data at row 0"},
		{"mh/data ends", Options{Coding: ModifiedHuffman, Width: 8, Height: 2}, "10011 000",
			[]string{"wwwwwwww"}, "data ends at row 1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := NewDecoder(packBits(c.bits), c.opt)
			if err != nil {
				t.Fatal(err)
			}
			row := make([]uint64, bitmap.WordsPerRow(c.opt.Width))
			for y, want := range c.rows {
				if err := d.ReadRow(row); err != nil {
					t.Fatalf("row %d: %v", y, err)
				}
				if got := rowString(row, c.opt.Width); got != want {
					t.Fatalf("row %d is %s, want %s", y, got, want)
				}
				if row[len(row)-1]&^bitmap.TailMask(c.opt.Width) != 0 {
					t.Fatalf("row %d has bits set past the width", y)
				}
			}
			err = d.ReadRow(row)
			switch {
			case c.errMsg == "" && err != io.EOF:
				t.Fatalf("after the rows: %v, want io.EOF", err)
			case c.errMsg != "" && (err == nil || err.Error() != c.errMsg):
				t.Fatalf("after the rows: %v, want %q", err, c.errMsg)
			}
			if err2 := d.ReadRow(row); err2 != err && !errors.Is(err2, err) {
				t.Fatalf("the error is not sticky: %v then %v", err, err2)
			}
		})
	}
}

// TestTables looks up every run-length code in the decoding tables and
// writes every run with the encoder's: each gives its run back.
func TestTables(t *testing.T) {
	lookup := func(tab *runTable, code string) entry {
		acc := uint64(parseBits(code)) << (64 - len(code))
		e := tab.primary[acc>>(64-primaryBits)]
		if e.kind() == kSub {
			e = tab.sub[e.value()+int(acc<<primaryBits>>(64-e.len()))]
		}
		return e
	}
	for black, set := range [2][2][]string{{whiteTerm[:], whiteMakeup[:]}, {blackTerm[:], blackMakeup[:]}} {
		tab := &whiteTable
		if black == 1 {
			tab = &blackTable
		}
		check := func(code string, kind uint, value int) {
			e := lookup(tab, code)
			if e.kind() != kind || e.value() != value || int(e.len()) != len(code) {
				t.Errorf("colour %d, code %s: kind %d, value %d, length %d", black, code, e.kind(), e.value(), e.len())
			}
		}
		for run, c := range set[0] {
			check(c, kTerm, run)
			if got := termCode[black][run]; got != toCodeWord(c) {
				t.Errorf("colour %d: run %d is written as %v", black, run, got)
			}
		}
		for i, c := range append(set[1], extMakeup[:]...) {
			check(c, kMakeup, 64*(i+1))
			if got := makeupCode[black][i]; got != toCodeWord(c) {
				t.Errorf("colour %d: make-up %d is written as %v", black, 64*(i+1), got)
			}
		}
		if e := lookup(tab, codeEOL); e.kind() != kEOL || e.len() != 0 {
			t.Errorf("colour %d: EOL looks up as %x", black, e)
		}
	}
	for i, c := range vertCodes {
		e := modeTable[parseBits(c)<<(modeBits-len(c))]
		if e.kind() != mVert || e.value() != i || int(e.len()) != len(c) {
			t.Errorf("vertical code %s looks up as %x", c, e)
		}
	}
}
