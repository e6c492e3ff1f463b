//go:build windows

package buildstep

import (
	"os/exec"
	"strconv"
	"syscall"

	"golang.org/x/sys/windows"
)

// shellCommand runs s through cmd /C in a new process group. The command
// line is passed as written: cmd.exe does its own parsing, which os/exec's
// argument quoting would break.
func shellCommand(s string) *exec.Cmd {
	cmd := exec.Command("cmd")
	cmd.SysProcAttr = &syscall.SysProcAttr{
		CmdLine:       "cmd /C " + s,
		CreationFlags: windows.CREATE_NEW_PROCESS_GROUP,
	}
	return cmd
}

// signalGroup ends the build's process tree. Windows has no SIGTERM a
// compiler would heed, so a cancelled build is killed at once either way;
// taskkill /T follows the parent links, which is what a group is here. It
// fails when the tree is already gone, which is fine.
func signalGroup(pgid int, _ bool) error {
	_ = exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(pgid)).Run()
	return nil
}

// groupAlive cannot see the group on Windows: the leader's exit is all the
// stage waits for, and taskkill /T reaches the rest.
func groupAlive(int) bool { return false }

// reapGroup: Windows has no zombies to reap.
func reapGroup(int) {}
