//go:build unix

package fileio

import "golang.org/x/sys/unix"

// handleReserve is how many file handles rlec keeps for its own use beside
// its jobs': the standard streams, the runtime's poller, a list being read.
const handleReserve = 8

// JobsWithin is how many jobs that each hold perJob file handles may run at
// once under the process's limit on open files (ulimit -n), with room left
// for the rest of rlec; at least one. Past the limit every open fails, so
// running more jobs than fit would only fail files that could wait.
func JobsWithin(perJob int) int {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil || lim.Cur > 1<<20 {
		return 1 << 20
	}
	return max(1, (int(lim.Cur)-handleReserve)/max(perJob, 1))
}
