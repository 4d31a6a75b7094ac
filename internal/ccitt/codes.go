package ccitt

// The code words of ITU-T T.4 (tables 1 to 4), shared by T.6, as strings
// of bits, and the lookup tables built from them once, when the package is
// initialised.

// Run-length code words: terminating codes for runs 0-63 and make-up codes
// for multiples of 64 up to 1728, one set for each colour, then the
// extended make-up codes for 1792-2560, which both colours share.
var (
	whiteTerm = [64]string{
		"00110101", "000111", "0111", "1000", "1011", "1100",
		"1110", "1111", "10011", "10100", "00111", "01000",
		"001000", "000011", "110100", "110101", "101010", "101011",
		"0100111", "0001100", "0001000", "0010111", "0000011", "0000100",
		"0101000", "0101011", "0010011", "0100100", "0011000", "00000010",
		"00000011", "00011010", "00011011", "00010010", "00010011", "00010100",
		"00010101", "00010110", "00010111", "00101000", "00101001", "00101010",
		"00101011", "00101100", "00101101", "00000100", "00000101", "00001010",
		"00001011", "01010010", "01010011", "01010100", "01010101", "00100100",
		"00100101", "01011000", "01011001", "01011010", "01011011", "01001010",
		"01001011", "00110010", "00110011", "00110100",
	}
	whiteMakeup = [27]string{
		"11011", "10010", "010111", "0110111", "00110110", "00110111",
		"01100100", "01100101", "01101000", "01100111", "011001100", "011001101",
		"011010010", "011010011", "011010100", "011010101", "011010110", "011010111",
		"011011000", "011011001", "011011010", "011011011", "010011000", "010011001",
		"010011010", "011000", "010011011",
	}
	blackTerm = [64]string{
		"0000110111", "010", "11", "10", "011", "0011",
		"0010", "00011", "000101", "000100", "0000100", "0000101",
		"0000111", "00000100", "00000111", "000011000", "0000010111", "0000011000",
		"0000001000", "00001100111", "00001101000", "00001101100", "00000110111", "00000101000",
		"00000010111", "00000011000", "000011001010", "000011001011", "000011001100", "000011001101",
		"000001101000", "000001101001", "000001101010", "000001101011", "000011010010", "000011010011",
		"000011010100", "000011010101", "000011010110", "000011010111", "000001101100", "000001101101",
		"000011011010", "000011011011", "000001010100", "000001010101", "000001010110", "000001010111",
		"000001100100", "000001100101", "000001010010", "000001010011", "000000100100", "000000110111",
		"000000111000", "000000100111", "000000101000", "000001011000", "000001011001", "000000101011",
		"000000101100", "000001011010", "000001100110", "000001100111",
	}
	blackMakeup = [27]string{
		"0000001111", "000011001000", "000011001001", "000001011011", "000000110011", "000000110100",
		"000000110101", "0000001101100", "0000001101101", "0000001001010", "0000001001011", "0000001001100",
		"0000001001101", "0000001110010", "0000001110011", "0000001110100", "0000001110101", "0000001110110",
		"0000001110111", "0000001010010", "0000001010011", "0000001010100", "0000001010101", "0000001011010",
		"0000001011011", "0000001100100", "0000001100101",
	}
	extMakeup = [13]string{
		"00000001000", "00000001100", "00000001101", "000000010010", "000000010011", "000000010100",
		"000000010101", "000000010110", "000000010111", "000000011100", "000000011101", "000000011110",
		"000000011111",
	}
)

// Two-dimensional mode code words (T.4 table 4). The extension code is
// followed by three bits naming the uncompressed mode, which this package
// does not support.
const (
	codePass  = "0001"
	codeHoriz = "001"
	codeExt   = "0000001"
	codeEOL   = "000000000001"
)

// vertCodes are the vertical mode codes for a1 - b1 = -3..3.
var vertCodes = [7]string{"0000010", "000010", "010", "1", "011", "000011", "0000011"}

// maxRun is the longest run one make-up code gives; longer runs repeat it.
const maxRun = 2560

// A table entry packs what a code word means: its length in bits (0-15) in
// bits 0-3, its kind in bits 4-7 and a value in the bits above.
type entry uint32

func (e entry) len() uint  { return uint(e & 15) }
func (e entry) kind() uint { return uint(e>>4) & 15 }
func (e entry) value() int { return int(e >> 8) }
func mkEntry(kind, value int, length int) entry {
	return entry(value<<8 | kind<<4 | length)
}

// Kinds of run-length table entries. The zero entry is an invalid code.
const (
	kInvalid = iota
	kTerm    // a terminating code: the run ends; value is its last part
	kMakeup  // a make-up code: value is added, another code follows
	kEOL     // eleven zeros or more: an EOL (perhaps after fill) where a run was due
	kSub     // look up the bits after the first primaryBits in a sub-table
)

// Kinds of mode table entries.
const (
	mPass = iota + 1
	mHoriz
	mVert // value is a1 - b1 + 3
	mExt
	mZeros // seven zeros: an EOL, fill before one, or junk
)

// primaryBits is how many bits the run tables look at first. Every white
// code but the extended make-ups fits, and every black code of a run of 1
// to 15 pixels; the rest are looked up again in a sub-table.
const primaryBits = 9

// A runTable decodes the run-length codes of one colour.
type runTable struct {
	primary [1 << primaryBits]entry
	sub     []entry
}

// modeBits is the length of the longest mode code but EOL.
const modeBits = 7

var (
	whiteTable, blackTable runTable
	modeTable              [1 << modeBits]entry
)

func init() {
	whiteTable.build(whiteTerm[:], whiteMakeup[:])
	blackTable.build(blackTerm[:], blackMakeup[:])
	put := func(code string, e entry) {
		fillEntries(modeTable[:], modeBits, code, e|entry(len(code)))
	}
	put(codePass, mkEntry(mPass, 0, 0))
	put(codeHoriz, mkEntry(mHoriz, 0, 0))
	for i, c := range vertCodes {
		put(c, mkEntry(mVert, i, 0))
	}
	put(codeExt, mkEntry(mExt, 0, 0))
	put("0000000", mkEntry(mZeros, 0, 0))
}

// build fills t from the code words of one colour.
func (t *runTable) build(term, makeup []string) {
	type code struct {
		bits string
		e    entry
	}
	var codes []code
	for run, c := range term {
		codes = append(codes, code{c, mkEntry(kTerm, run, len(c))})
	}
	for i, c := range makeup {
		codes = append(codes, code{c, mkEntry(kMakeup, 64*(i+1), len(c))})
	}
	for i, c := range extMakeup {
		codes = append(codes, code{c, mkEntry(kMakeup, 1792+64*i, len(c))})
	}
	// Eleven zeros and a one, or more zeros (fill bits before an EOL): the
	// row ends here. The entry has length 0: the EOL is left to be read as
	// the start of the next row.
	codes = append(codes, code{"00000000000", mkEntry(kEOL, 0, 0)})

	// Sub-tables, one for each primaryBits-bit prefix of longer codes, as
	// wide as the longest code with that prefix needs.
	subBits := map[string]int{}
	for _, c := range codes {
		if len(c.bits) > primaryBits {
			p := c.bits[:primaryBits]
			subBits[p] = max(subBits[p], len(c.bits)-primaryBits)
		}
	}
	for p := range 1 << primaryBits {
		prefix := bitString(p, primaryBits)
		n, ok := subBits[prefix]
		if !ok {
			continue
		}
		t.primary[p] = mkEntry(kSub, len(t.sub), n)
		t.sub = append(t.sub, make([]entry, 1<<n)...)
	}
	for _, c := range codes {
		if len(c.bits) <= primaryBits {
			fillEntries(t.primary[:], primaryBits, c.bits, c.e)
			continue
		}
		s := t.primary[parseBits(c.bits[:primaryBits])]
		fillEntries(t.sub[s.value():s.value()+1<<s.len()], int(s.len()), c.bits[primaryBits:], c.e)
	}
}

// fillEntries sets every entry of table (indexed by n bits) whose index
// starts with the bits of code.
func fillEntries(table []entry, n int, code string, e entry) {
	if len(code) > n {
		panic("ccitt: code " + code + " longer than its table")
	}
	first := parseBits(code) << (n - len(code))
	for i := range 1 << (n - len(code)) {
		if table[first+i] != 0 {
			panic("ccitt: code " + code + " overlaps another")
		}
		table[first+i] = e
	}
}

func parseBits(s string) int {
	v := 0
	for _, c := range s {
		v = v<<1 | int(c-'0')
	}
	return v
}

func bitString(v, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0' + byte(v>>(n-1-i)&1)
	}
	return string(b)
}
