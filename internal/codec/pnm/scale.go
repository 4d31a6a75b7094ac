package pnm

import "math"

// scale is the reference's rescaling of a sample v of a file whose maxval
// is not that of its mode: round(v / maxval * out) in Python, the division
// and the product rounded as float64s and the result rounded half to even.
// out is 255 for the 8-bit modes L and RGB, 65535 for I.
func scale(v, maxval int64, out float64) int64 {
	return int64(math.RoundToEven(float64(v) / float64(maxval) * out))
}

// table8 maps each sample value 0..n-1 to its 8-bit level, clipped at 255
// as the reference clips raw values over maxval.
func table8(n, maxval int) []uint8 {
	t := make([]uint8, n)
	for v := range t {
		t[v] = uint8(min(scale(int64(v), int64(maxval), 255), 255))
	}
	return t
}

// table16 maps each sample value 0..n-1 to its 16-bit level, clipped at
// 65535.
func table16(n, maxval int) []uint16 {
	t := make([]uint16, n)
	for v := range t {
		t[v] = uint16(min(scale(int64(v), int64(maxval), 65535), 65535))
	}
	return t
}
