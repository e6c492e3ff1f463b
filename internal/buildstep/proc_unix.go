//go:build unix

package buildstep

import (
	"errors"
	"os/exec"
	"syscall"
)

// shellCommand runs s through sh, leading a new process group so that one
// signal reaches the build and everything it started.
func shellCommand(s string) *exec.Cmd {
	cmd := exec.Command("sh", "-c", s)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd
}

// signalGroup sends SIGTERM (or SIGKILL when kill) to the group; a group
// that is already gone is not an error.
func signalGroup(pgid int, kill bool) error {
	sig := syscall.SIGTERM
	if kill {
		sig = syscall.SIGKILL
	}
	if err := syscall.Kill(-pgid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}

// groupAlive reports whether any process (zombies included) is in the group.
func groupAlive(pgid int) bool {
	return !errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH)
}

// reapGroup reaps the group's members that are reload's zombies: on Linux
// reload is a child subreaper, so a build's child whose parent died is
// reparented to reload, and nothing else would wait for it. Waiting by
// group touches no other child (the app has its own group), and the
// leader was already waited for by os/exec.
func reapGroup(pgid int) {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-pgid, &ws, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}
