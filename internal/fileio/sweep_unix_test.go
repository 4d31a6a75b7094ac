//go:build unix

package fileio

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rlec/rlec/internal/testkit"
	"golang.org/x/sys/unix"
)

// TestSweep: the temporary outputs no process holds locked are leftovers of
// killed processes, and go; a locked one is being written, and stays, as
// does every other file.
func TestSweep(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{tempPrefix + "page.rle-left", tempPrefix + "page.rle-busy", "page.rle", "notes" + tempPrefix} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	busy, err := os.Open(filepath.Join(dir, tempPrefix+"page.rle-busy"))
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	if err := unix.Flock(int(busy.Fd()), unix.LOCK_EX); err != nil {
		t.Skipf("no flock here: %v", err)
	}
	sweep(dir)
	want := []string{tempPrefix + "page.rle-busy", "notes" + tempPrefix, "page.rle"}
	if got := testkit.ListDir(t, dir); !slices.Equal(got, want) {
		t.Errorf("left %v, want %v", got, want)
	}
}

// TestTempsAreLocked: a named temporary output, made as rlec makes one
// where unnamed files cannot be, or to replace a file, is locked while it
// exists, so that no sweep takes it for a leftover.
func TestTempsAreLocked(t *testing.T) {
	for _, named := range []bool{true, false} {
		unnamedOutputs = !named
		t.Cleanup(func() { unnamedOutputs = true })
		dir := t.TempDir()
		final := filepath.Join(dir, "out.rle")
		os.WriteFile(final, []byte("old"), 0o644)
		a, err := createAtomic(final, true, nil)
		if err != nil {
			t.Fatal(err)
		}
		a.WriteString("new")
		if named {
			swept.Delete(dir)
			sweep(dir) // another process's sweep
			if _, err := os.Stat(a.Name()); err != nil {
				t.Fatalf("the temporary file in use was swept: %v", err)
			}
		}
		if err := a.Commit(); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(final); string(got) != "new" {
			t.Errorf("named=%v: output %q", named, got)
		}
		if names := testkit.ListDir(t, dir); len(names) != 1 {
			t.Errorf("named=%v: left %v", named, names)
		}
	}
}
