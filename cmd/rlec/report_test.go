package main

import "testing"

func TestSummaryLine(t *testing.T) {
	tests := []struct {
		s    summary
		want string
	}{
		{summary{Files: 1, BytesIn: 264100, BytesOut: 114500, Seconds: 0.004}, "1 file, 264.1 kB in, 114.5 kB out (43.4%), 0.00s"},
		{summary{Files: 36, BytesIn: 166e6, BytesOut: 12e6, Seconds: 1.5, Skipped: 2}, "36 files, 166.0 MB in, 12.0 MB out (7.2%), 1.50s, 2 skipped"},
		{summary{Files: 5, Failed: 5}, "5 files, 0 B in, 0 B out, 0.00s, 5 failed"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.s.line(); got != tt.want {
				t.Errorf("line of %+v:\n got %q\nwant %q", tt.s, got, tt.want)
			}
		})
	}
}
