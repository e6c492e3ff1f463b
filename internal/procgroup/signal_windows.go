//go:build windows

package procgroup

import (
	"fmt"
	"os"
	"syscall"
)

var signalNames = map[string]syscall.Signal{
	"SIGHUP": syscall.SIGHUP, "SIGINT": syscall.SIGINT, "SIGQUIT": syscall.SIGQUIT,
	"SIGKILL": syscall.SIGKILL, "SIGTERM": syscall.SIGTERM,
}

// signalNum is the signal named like "SIGTERM", or 0: only the names config
// validation accepts.
func signalNum(name string) syscall.Signal { return signalNames[name] }

// SignalName names sig like "SIGTERM".
func SignalName(sig syscall.Signal) string {
	for n, s := range signalNames {
		if s == sig {
			return n
		}
	}
	return fmt.Sprintf("signal %d", int(sig))
}

// ExitInfo: Windows processes end with a code, never a signal.
func ExitInfo(ps *os.ProcessState) (int, syscall.Signal) { return ps.ExitCode(), 0 }
