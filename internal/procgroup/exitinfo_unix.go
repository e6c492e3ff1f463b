//go:build unix

package procgroup

import (
	"os"
	"syscall"
)

// ExitInfo splits a wait status into an exit code or the killing signal.
func ExitInfo(ps *os.ProcessState) (code int, sig syscall.Signal) {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -1, ws.Signal()
	}
	return ps.ExitCode(), 0
}
