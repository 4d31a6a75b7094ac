//go:build !linux

package strategy

// allocatesAhead is false: reserve allocates nothing off Linux.
func allocatesAhead(string) bool { return false }
