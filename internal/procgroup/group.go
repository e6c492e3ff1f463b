package procgroup

import (
	"os/exec"
	"syscall"
)

// SetGroup makes cmd, once started, lead a new process group (Windows: a
// new console process group), so one signal reaches it and its children
// but not reload. With foreground (Unix) the group also becomes the
// foreground group of the terminal that is cmd's stdin. Other SysProcAttr
// fields, like the command line Shell sets on Windows, are kept.
func SetGroup(cmd *exec.Cmd, foreground bool) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	newGroup(cmd.SysProcAttr, foreground)
}
