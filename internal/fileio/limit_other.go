//go:build !unix

package fileio

// JobsWithin does not bound jobs where there is no ulimit to read.
func JobsWithin(perJob int) int { return 1 << 20 }
