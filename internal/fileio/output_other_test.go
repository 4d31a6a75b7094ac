//go:build !linux

package fileio

// allocatesAhead is false: reserve allocates nothing off Linux.
func allocatesAhead(string) bool { return false }
