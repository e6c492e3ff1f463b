//go:build windows

package procgroup

import (
	"os"
	"syscall"
)

// ExitInfo: Windows processes end with a code, never a signal.
func ExitInfo(ps *os.ProcessState) (int, syscall.Signal) { return ps.ExitCode(), 0 }
