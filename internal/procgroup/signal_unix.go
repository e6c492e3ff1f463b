//go:build unix

package procgroup

import (
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// signalNum is the signal named like "SIGTERM", or 0.
func signalNum(name string) syscall.Signal { return unix.SignalNum(name) }

// SignalName names sig like "SIGSEGV".
func SignalName(sig syscall.Signal) string {
	if n := unix.SignalName(sig); n != "" {
		return n
	}
	return fmt.Sprintf("signal %d", int(sig))
}

// ExitInfo splits a wait status into an exit code or the killing signal.
func ExitInfo(ps *os.ProcessState) (code int, sig syscall.Signal) {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -1, ws.Signal()
	}
	return ps.ExitCode(), 0
}
