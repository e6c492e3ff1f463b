//go:build windows

package procgroup

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"

	"golang.org/x/sys/windows"
)

// newGroup starts the process in a new process group, so a console control
// event reaches it and its children but not reload. Windows has no
// terminal foreground group to hand over.
func newGroup(a *syscall.SysProcAttr, _ bool) {
	a.CreationFlags |= windows.CREATE_NEW_PROCESS_GROUP
}

// SignalGroup asks the group to stop with CTRL_BREAK (the only console event
// a new process group receives), or kills the whole tree for SIGKILL.
func SignalGroup(pgid int, sig syscall.Signal) error {
	if sig != syscall.SIGKILL {
		return windows.GenerateConsoleCtrlEvent(windows.CTRL_BREAK_EVENT, uint32(pgid))
	}
	// taskkill /T follows the parent links, which is what a group is here.
	// It fails when the tree is already gone, which is fine.
	_ = exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(pgid)).Run()
	return nil
}

// SignalPid is SignalGroup: Windows reaches a process through its tree.
func SignalPid(pid int, sig syscall.Signal) error { return SignalGroup(pid, sig) }

// GroupAlive cannot see the group on Windows: the leader's exit is all
// reload waits for, and taskkill /T reaches the rest.
func GroupAlive(int) bool { return false }

// PidAlive cannot see a process either; see GroupAlive.
func PidAlive(int) bool { return false }

// reapGroup: Windows has no zombies to reap.
func reapGroup(int) {}

// TakeTerminal: Windows has no terminal foreground group.
func TakeTerminal(*os.File) error { return nil }

// Relay: Windows has no job-control signals.
func Relay(int, os.Signal) {}

// IsControllingTerminal: Windows has no foreground process groups.
func IsControllingTerminal(*os.File) bool { return false }
