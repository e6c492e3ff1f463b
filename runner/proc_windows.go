//go:build windows

package runner

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/windows"
)

// sysProcAttr starts the app in a new process group, so a console control
// event reaches it and its children but not reload. Windows has no
// terminal foreground group to hand over.
func sysProcAttr(bool) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: windows.CREATE_NEW_PROCESS_GROUP}
}

// signalGroup asks the group to stop with CTRL_BREAK (the only console event
// a new process group receives), or kills the whole tree for SIGKILL.
func signalGroup(pgid int, sig syscall.Signal) error {
	if sig != syscall.SIGKILL {
		return windows.GenerateConsoleCtrlEvent(windows.CTRL_BREAK_EVENT, uint32(pgid))
	}
	// taskkill /T follows the parent links, which is what a group is here.
	// It fails when the tree is already gone, which is fine.
	_ = exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(pgid)).Run()
	return nil
}

func signalPid(pid int, sig syscall.Signal) error { return signalGroup(pid, sig) }

// groupAlive cannot see the group on Windows: the leader's exit is all
// reload waits for, and taskkill /T reaches the rest.
func groupAlive(int) bool { return false }

func pidAlive(int) bool { return false }

var signalNames = map[string]syscall.Signal{
	"SIGHUP": syscall.SIGHUP, "SIGINT": syscall.SIGINT, "SIGQUIT": syscall.SIGQUIT,
	"SIGKILL": syscall.SIGKILL, "SIGTERM": syscall.SIGTERM,
}

// parseSignal accepts the names config validation accepts; on Windows every
// stop signal but SIGKILL becomes CTRL_BREAK.
func parseSignal(name string) (syscall.Signal, error) {
	if name == "" {
		return syscall.SIGTERM, nil
	}
	n := strings.ToUpper(name)
	if !strings.HasPrefix(n, "SIG") {
		n = "SIG" + n
	}
	if sig, ok := signalNames[n]; ok {
		return sig, nil
	}
	return 0, fmt.Errorf("unknown stop signal %q; use a name like \"SIGTERM\" or \"SIGINT\"", name)
}

func signalName(sig syscall.Signal) string {
	for n, s := range signalNames {
		if s == sig {
			return n
		}
	}
	return fmt.Sprintf("signal %d", int(sig))
}

// exitInfo: Windows processes end with a code, never a signal.
func exitInfo(ps *os.ProcessState) (int, syscall.Signal) { return ps.ExitCode(), 0 }

func takeTerminal(*os.File) error { return nil }
