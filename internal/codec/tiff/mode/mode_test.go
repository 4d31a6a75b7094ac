package mode

import (
	"strings"
	"testing"
)

// TestKeyFor: the fields as a file gives them, adjusted as Pillow adjusts
// them, find their mode in the table, or are refused.
func TestKeyFor(t *testing.T) {
	tests := []struct {
		name         string
		order        byte
		photo, fill  uint64
		formats, bps []uint64
		extra        []uint64
		spp          int
		kind         Kind // 0: not in the table
		invert       bool
		err          string
	}{
		{"min-is-white bilevel", 'I', 0, 1, nil, nil, nil, 1, Bilevel, true, ""},
		{"min-is-black bilevel, fill order 2", 'M', 1, 2, nil, []uint64{1}, nil, 1, Bilevel, false, ""},
		{"4-bit min-is-white grey", 'I', 0, 1, nil, []uint64{4}, nil, 1, Grey, true, ""},
		{"RGB, one BitsPerSample", 'I', 2, 1, nil, []uint64{8}, nil, 3, RGB, false, ""},
		{"RGB, BitsPerSample cut", 'I', 2, 1, []uint64{1, 1, 1}, []uint64{8, 8, 8, 8}, nil, 3, RGB, false, ""},
		{"premultiplied RGBA", 'I', 2, 1, nil, []uint64{8}, []uint64{1}, 4, RGBPremul, false, ""},
		{"16-bit grey, big-endian", 'M', 1, 1, nil, []uint64{16}, nil, 1, Grey16, false, ""},
		{"16-bit min-is-white grey, big-endian", 'M', 0, 1, nil, []uint64{16}, nil, 1, 0, false, ""},
		{"float", 'I', 1, 1, []uint64{3}, []uint64{32}, nil, 1, Float32, false, ""},
		{"YCbCr", 'I', 6, 1, nil, []uint64{8}, nil, 3, YCbCr, false, ""},
		{"samples of different sizes", 'I', 2, 1, nil, []uint64{8, 8, 16}, nil, 3, 0, false, "different sizes"},
		{"too few BitsPerSample", 'I', 2, 1, nil, []uint64{8, 8}, nil, 3, 0, false, "2 BitsPerSample values"},
		{"per-sample float", 'I', 2, 1, []uint64{3, 3, 3}, []uint64{32}, nil, 3, 0, false, "per-sample SampleFormat"},
		{"too many samples", 'I', 2, 1, nil, []uint64{8}, nil, 7, 0, false, "at most 6"},
		{"no samples", 'I', 2, 1, nil, []uint64{8}, nil, 0, 0, false, "no samples"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := KeyFor(tt.order, tt.photo, tt.fill, tt.formats, tt.bps, tt.extra, tt.spp)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v, want an error with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			e, ok := Lookup(k)
			switch {
			case tt.kind == 0 && ok:
				t.Fatalf("%s: found kind %d, want none", k, e.Kind)
			case tt.kind != 0 && (!ok || e.Kind != tt.kind || e.Invert != tt.invert):
				t.Fatalf("%s: got kind %d (found %v), invert %v; want %d, %v", k, e.Kind, ok, e.Invert, tt.kind, tt.invert)
			}
		})
	}
}

func TestString(t *testing.T) {
	k := Key{Order: 'M', Photo: 2, Format: 2, Fill: 2, BPS: 16, SPP: 4, Extra: "1"}
	want := "photometric 2 (RGB), 4 samples of 16 bits, sample format 2, extra samples 1, fill order 2, big-endian"
	if got := k.String(); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
