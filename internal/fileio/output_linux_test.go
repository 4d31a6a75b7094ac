package fileio

import "golang.org/x/sys/unix"

// allocatesAhead reports whether the filesystem holding dir is one known to
// allocate a file's blocks ahead (fallocate), so that TestReserve must see
// it do so there.
func allocatesAhead(dir string) bool {
	var st unix.Statfs_t
	if unix.Statfs(dir, &st) != nil {
		return false
	}
	switch st.Type {
	case unix.EXT4_SUPER_MAGIC, unix.TMPFS_MAGIC, unix.XFS_SUPER_MAGIC, unix.BTRFS_SUPER_MAGIC:
		return true
	}
	return false
}
