package fileio

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rlec/rlec/internal/testkit"
)

// TestAtomicFile checks what an output leaves in its folder at each step,
// unnamed and named, and when its guard (which installs signal handlers) is
// called: before any name is made for a temporary file, and only then.
func TestAtomicFile(t *testing.T) {
	// New outputs take their mode from the umask; a replaced file's is kept.
	newMode := os.FileMode(0o644)
	if setUmask(t, 0o027) {
		newMode = 0o640
	}
	const replacedMode = 0o600
	for _, named := range []bool{false, true} {
		if !named && !canMakeUnnamed(t) {
			t.Log("this system makes no unnamed files; testing named ones only")
			continue
		}
		for _, tc := range []struct {
			name     string
			existing bool // the output appears while it is written
			force    bool
			abort    bool
			wantErr  error
		}{
			{name: "new"},
			{name: "new, force", force: true},
			{name: "appeared", existing: true, wantErr: ErrExists},
			{name: "appeared, force", existing: true, force: true},
			{name: "aborted", abort: true},
		} {
			t.Run(map[bool]string{false: "unnamed", true: "named"}[named]+"/"+tc.name, func(t *testing.T) {
				unnamedOutputs = !named
				t.Cleanup(func() { unnamedOutputs = true })
				dir := t.TempDir()
				path := filepath.Join(dir, "out.rle")
				guarded := 0
				guard := func() {
					guarded++
					if n := len(testkit.ListDir(t, dir)); n != 0 && !tc.existing {
						t.Errorf("guard called after a name was made: %d names", n)
					}
				}
				a, err := createAtomic(path, tc.force, guard)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := a.WriteString("new"); err != nil {
					t.Fatal(err)
				}
				names := testkit.ListDir(t, dir)
				if named != (len(names) == 1 && IsTemp(names[0])) || !named && len(names) != 0 {
					t.Errorf("while writing, the folder holds %q", names)
				}
				if tc.existing {
					if err := os.WriteFile(path, []byte("old"), replacedMode); err != nil {
						t.Fatal(err)
					}
				}
				if tc.abort {
					a.Abort()
				} else if err := a.Commit(); !errors.Is(err, tc.wantErr) {
					t.Fatalf("Commit: %v, want %v", err, tc.wantErr)
				}
				want := map[bool]string{false: "new", true: "old"}[tc.wantErr != nil]
				switch got, err := os.ReadFile(path); {
				case tc.abort && !errors.Is(err, os.ErrNotExist):
					t.Errorf("aborted, yet the output exists (%v)", err)
				case !tc.abort && string(got) != want:
					t.Errorf("output %q (%v), want %q", got, err, want)
				}
				if names := testkit.ListDir(t, dir); len(names) > 1 || len(names) == 1 && names[0] != "out.rle" {
					t.Errorf("the folder holds %q", names)
				}
				if fi, err := os.Stat(path); err == nil && runtime.GOOS != "windows" {
					want := newMode
					if tc.existing {
						want = replacedMode
					}
					if fi.Mode().Perm() != want {
						t.Errorf("mode %v, want %v", fi.Mode().Perm(), want)
					}
				}
				// A named temporary file needs the guard; so does an unnamed
				// one given a temporary name to replace an output.
				wantGuard := named || tc.existing && tc.force
				if (guarded > 0) != wantGuard {
					t.Errorf("guard called %d times, want it called: %v", guarded, wantGuard)
				}
			})
		}
	}
}

// TestLongName: an output whose name is as long as a folder allows can be
// made, and can replace a file, with a temporary name, named or unnamed.
func TestLongName(t *testing.T) {
	base := strings.Repeat("é", 100) + strings.Repeat("x", 251-200) + ".rle" // 255 bytes
	for _, named := range []bool{false, true} {
		unnamedOutputs = !named
		t.Cleanup(func() { unnamedOutputs = true })
		path := filepath.Join(t.TempDir(), base)
		for _, force := range []bool{false, true} { // made, then replaced
			a, err := createAtomic(path, force, nil)
			if err != nil {
				t.Fatalf("named %v, force %v: %v", named, force, err)
			}
			a.WriteString("new")
			if err := a.Commit(); err != nil {
				t.Errorf("named %v, force %v: %v", named, force, err)
			}
		}
		if names := testkit.ListDir(t, filepath.Dir(path)); len(names) != 1 || names[0] != base {
			t.Errorf("named %v: the folder holds %q", named, names)
		}
	}
}

// canMakeUnnamed reports whether unnamed outputs work here, and on Linux
// says why not.
func canMakeUnnamed(t *testing.T) bool {
	f, err := createUnnamed(t.TempDir())
	if err != nil {
		if runtime.GOOS == "linux" {
			t.Logf("no unnamed files in the temporary folder: %v", err)
		}
		return false
	}
	f.Close()
	return true
}

// dirNames lists dir, sorted as os.ReadDir sorts.
// TestReserve: an output's room is allocated ahead where the filesystem can,
// its size set at once; a size no disk holds fails there, before any work.
func TestReserve(t *testing.T) {
	dir := t.TempDir()
	a, err := createAtomic(filepath.Join(dir, "out.bmp"), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Abort()
	const size = 1 << 20
	if err := a.Reserve(size); err != nil {
		t.Fatalf("Reserve(%d): %v", size, err)
	}
	fi, err := a.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() == 0 && !allocatesAhead(dir) {
		t.Skipf("the filesystem of %s on %s allocates nothing ahead", dir, runtime.GOOS)
	}
	if fi.Size() != size {
		t.Fatalf("after Reserve(%d) the file has %d bytes", size, fi.Size())
	}
	if err := a.Reserve(1 << 62); err == nil {
		t.Error("Reserve(1<<62) succeeded; want an error saying the disk cannot hold it")
	} else {
		t.Logf("Reserve(1<<62): %v", err)
	}
}
