package main

import (
	"bytes"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// repeating is an endless stream: head, then fill forever.
type repeating struct {
	head []byte
	fill byte
}

func (r *repeating) Read(p []byte) (int, error) {
	n := copy(p, r.head)
	r.head = r.head[n:]
	for i := n; i < len(p); i++ {
		p[i] = r.fill
	}
	return len(p), nil
}

// TestEndlessInputs: a stream that never ends (/dev/zero, a runaway
// program) is refused once its header is read, or once what the header
// allows has been read, in a few megabytes: never read to its end.
func TestEndlessInputs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		args  []string
		input func() io.Reader
		want  string
	}{
		{"compress zeros", []string{"compress", "-", "-"}, func() io.Reader { return &repeating{fill: 0} }, "not an image rlec reads"},
		{"compress a BMP header, then zeros", []string{"compress", "-", "-"}, func() io.Reader {
			bmp, _ := golden(t, "checker")
			return &repeating{head: bmp[:62], fill: 0}
		}, ""}, // the pixels are all there, and nothing past them is read
		{"decompress zeros", []string{"decompress", "-", "-"}, func() io.Reader { return &repeating{fill: 0} }, "byte 0: the header says 0x0 pixels"},
		{"verify zeros", []string{"verify"}, func() io.Reader { return &repeating{fill: 0} }, "byte 0: the header says 0x0 pixels"},
		{"info zeros", []string{"info"}, func() io.Reader { return &repeating{fill: 0} }, "byte 0: the header says 0x0 pixels"},
		{"decompress a header, then zeros", []string{"decompress", "-", "-"}, func() io.Reader {
			return &repeating{head: []byte{0xff, 0xff, 0xff, 0xff}, fill: 0}
		}, "byte 4: run byte 0x00 has length 0"},
		{"verify a header, then runs forever", []string{"verify"}, func() io.Reader {
			return &repeating{head: []byte{100, 0, 100, 0}, fill: 0x81}
		}, "byte 10004: trailing data"},
		{"compress /dev/zero", []string{"compress", "/dev/zero", "-"}, nil, "/dev/zero: not an image rlec reads"},
		{"decompress /dev/zero", []string{"decompress", "/dev/zero", "-"}, nil, "/dev/zero: byte 0: the header says 0x0 pixels"},
	} {
		if tc.input == nil {
			if _, err := os.Stat("/dev/zero"); err != nil {
				continue
			}
			tc.input = func() io.Reader { return strings.NewReader("") }
		}
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			done := make(chan result, 1)
			go func() {
				var out, errOut bytes.Buffer
				streams := &IOStreams{In: tc.input(), Out: &out, ErrOut: &errOut}
				code := run(t.Context(), tc.args, streams)
				done <- result{code, out.String(), errOut.String()}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("still reading after 30 s")
			}
			runtime.ReadMemStats(&after)
			if tc.want == "" {
				if r.code != 0 {
					t.Fatalf("%+v", r)
				}
			} else if r.code != exitFailure || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("%+v, want exit 1 and %q", r, tc.want)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
				t.Errorf("allocated %d MB", grew>>20)
			}
		})
	}
}
