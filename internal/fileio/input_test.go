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
		s := newStream(iotest.HalfReader(bytes.NewReader(data)))
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
		if err := s.readAll(1<<40, nil); err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if s.read() != int64(size) || !bytes.Equal(s.bytes(), data) {
			t.Fatalf("size %d: read %d bytes, not the data", size, s.read())
		}
	}
}

// TestStreamReadsNoFarther: a stream is read no farther than its readers
// ask, a block at a time, and readAll stops a byte past its limit, or at
// the block stop refuses: an endless stream costs a few blocks at most.
func TestStreamReadsNoFarther(t *testing.T) {
	endless := iotest.OneByteReader(&zeros{})
	s := newStream(endless)
	var head [4]byte
	if _, err := s.ReadAt(head[:], 0); err != nil || s.read() != streamBlockSize {
		t.Fatalf("a 4-byte read read %d bytes: %v", s.read(), err)
	}
	if err := s.readAll(3*streamBlockSize+5, nil); err != nil || s.read() != 3*streamBlockSize+6 {
		t.Fatalf("readAll to a limit read %d bytes: %v", s.read(), err)
	}
	s = newStream(&zeros{})
	blocks := 0
	if err := s.readAll(1<<40, func([]byte) bool { blocks++; return blocks == 2 }); err != nil || s.read() != 2*streamBlockSize {
		t.Fatalf("readAll stopped at block 2 read %d bytes: %v", s.read(), err)
	}
}

// zeros is an endless stream of zero bytes, as /dev/zero is.
type zeros struct{}

func (*zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestStreamInputError passes on a failed read, so that a broken pipe is
// reported, not taken for the end of the input.
func TestStreamInputError(t *testing.T) {
	broken := errors.New("broken")
	r := io.MultiReader(bytes.NewReader(make([]byte, 3*streamBlockSize/2)), iotest.ErrReader(broken))
	if err := newStream(r).readAll(1<<40, nil); !errors.Is(err, broken) {
		t.Fatalf("readAll: %v, want %v", err, broken)
	}
	in := &Input{ReaderAt: newStream(iotest.ErrReader(broken)), Size: -1}
	if _, _, err := in.Bytes(nil, nil); !errors.Is(err, broken) {
		t.Fatalf("Bytes: %v, want %v", err, broken)
	}
}
