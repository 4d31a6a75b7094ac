package pnm

import "testing"

// TestScale: Python's round(v / maxval * out), computed by the reference
// (values from Python 3): halves go to the even neighbour, negative values
// too.
func TestScale(t *testing.T) {
	tests := []struct {
		v, maxval int64
		out       float64
		want      int64
	}{
		{1, 2, 255, 128},
		{5, 6, 255, 212},
		{3, 10, 255, 76},
		{7, 10, 255, 178},
		{1, 6, 255, 42},
		{51, 26214, 65535, 128},
		{53, 26214, 65535, 132},
		{1, 510, 65535, 128},
		{1, 514, 65535, 128},
		{999, 1000, 255, 255},
		{1, 3, 255, 85},
		{2, 3, 255, 170},
		{4095, 4095, 65535, 65535},
		{1, 4095, 65535, 16},
		{100, 101, 255, 252},
		{-1, 255, 255, -1},
		{-3, 10, 255, -76},
		{-7, 10, 255, -178},
	}
	for _, tt := range tests {
		if got := scale(tt.v, tt.maxval, tt.out); got != tt.want {
			t.Errorf("round(%d/%d*%v) = %d, want %d", tt.v, tt.maxval, tt.out, got, tt.want)
		}
	}
	// maxval 255 leaves every value as it is.
	for v := range int64(256) {
		if got := scale(v, 255, 255); got != v {
			t.Fatalf("round(%d/255*255) = %d", v, got)
		}
	}
}
