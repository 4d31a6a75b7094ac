package strategy

import (
	"os"

	"golang.org/x/sys/unix"
)

// blockingPipe makes a pipe whose ends are read and written in blocking
// mode, outside the runtime's poller.
func blockingPipe() (r, w *os.File, err error) {
	var fds [2]int
	if err := unix.Pipe2(fds[:], unix.O_CLOEXEC); err != nil {
		return nil, nil, err
	}
	return os.NewFile(uintptr(fds[0]), "|0"), os.NewFile(uintptr(fds[1]), "|1"), nil
}
