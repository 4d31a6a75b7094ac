package fileio

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestIsTerminal checks that only a terminal counts as one: /dev/null is a
// character device too, and `rlec compress in.bmp - >/dev/null` must write,
// as gzip -c does.
func TestIsTerminal(t *testing.T) {
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	regular, err := os.Create(filepath.Join(t.TempDir(), "out.rle"))
	if err != nil {
		t.Fatal(err)
	}
	defer regular.Close()
	pty := openPseudoTerminal(t)

	for _, tc := range []struct {
		name string
		f    *os.File
		want bool
	}{
		{"/dev/null", devNull, false},
		{"regular file", regular, false},
		{"pseudo-terminal", pty, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsTerminal(tc.f); got != tc.want {
				t.Errorf("IsTerminal(%s) = %v, want %v", tc.name, got, tc.want)
			}
		})
	}
}

// openPseudoTerminal opens the terminal side of a new pseudo-terminal, as
// posix_openpt, unlockpt and ptsname do, or skips the test where there are
// none (a container without /dev/pts).
func openPseudoTerminal(t *testing.T) *os.File {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	fd := int(ptmx.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlocking the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("naming the pseudo-terminal: %v", err)
	}
	pts, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("cannot open the pseudo-terminal's other side: %v", err)
	}
	t.Cleanup(func() { pts.Close() })
	return pts
}
