//go:build windows

package runner

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"

	"golang.org/x/sys/windows"

	"github.com/reload-dev/reload/internal/signals"
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

// signalName names sig from the stop signal table; Windows processes never
// end by a signal, so only reload's own stop signals are ever named.
func signalName(sig syscall.Signal) string { return signals.Name(sig) }

// exitInfo: Windows processes end with a code, never a signal.
func exitInfo(ps *os.ProcessState) (int, syscall.Signal) { return ps.ExitCode(), 0 }

func takeTerminal(*os.File) error { return nil }
