package fileio

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// TestStreamInput reads streams of sizes around the block size, in short
// reads, and checks that every read at an offset, within a block or across
// blocks, gives what the same read of the data gives.
func TestStreamInput(t *testing.T) {
	for _, size := range []int{0, 1, streamBlockSize - 1, streamBlockSize, streamBlockSize + 1, 2*streamBlockSize + 12345} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(rand.Uint32())
		}
		s, err := readStream(iotest.HalfReader(bytes.NewReader(data)))
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if s.size != int64(size) || !bytes.Equal(s.bytes(), data) {
			t.Fatalf("size %d: read %d bytes, not the data", size, s.size)
		}
		want := bytes.NewReader(data)
		for _, off := range []int64{0, 1, streamBlockSize - 3, streamBlockSize, int64(size) - 2, int64(size), int64(size) + 5} {
			for _, n := range []int{0, 1, 4, streamBlockSize + 7} {
				if off < 0 {
					continue
				}
				got, exp := make([]byte, n), make([]byte, n)
				gn, gerr := s.ReadAt(got, off)
				en, eerr := want.ReadAt(exp, off)
				if gn != en || !errors.Is(gerr, eerr) || !bytes.Equal(got, exp) {
					t.Errorf("size %d: ReadAt(%d bytes, %d) = %d, %v; want %d, %v", size, n, off, gn, gerr, en, eerr)
				}
			}
		}
	}
}

// TestStreamInputError passes on a failed read, so that a broken pipe is
// reported, not taken for the end of the input.
func TestStreamInputError(t *testing.T) {
	broken := errors.New("broken")
	r := io.MultiReader(bytes.NewReader(make([]byte, 3*streamBlockSize/2)), iotest.ErrReader(broken))
	if _, err := readStream(r); !errors.Is(err, broken) {
		t.Fatalf("readStream: %v, want %v", err, broken)
	}
	if _, err := ReadStream(iotest.ErrReader(broken)); !errors.Is(err, broken) {
		t.Fatalf("ReadStream: %v, want %v", err, broken)
	}
}
