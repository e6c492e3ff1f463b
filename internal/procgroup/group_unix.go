//go:build unix

package procgroup

import (
	"errors"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// newGroup makes the process lead a new process group, so one signal
// reaches it and its children. With foreground the group also becomes the
// terminal's foreground group (Ctty 0 is the process's stdin); the child
// does that with its signals blocked, so SIGTTOU cannot stop it.
func newGroup(a *syscall.SysProcAttr, foreground bool) {
	a.Setpgid = true
	if foreground {
		a.Foreground, a.Ctty = true, 0
	}
}

// SignalGroup signals the whole group; a group that is already gone is not
// an error.
func SignalGroup(pgid int, sig syscall.Signal) error { return kill(-pgid, sig) }

// SignalPid signals one process; one that is already gone is not an error.
func SignalPid(pid int, sig syscall.Signal) error { return kill(pid, sig) }

func kill(pid int, sig syscall.Signal) error {
	if err := syscall.Kill(pid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}

// GroupAlive reports whether any process (zombies included) is in the group.
func GroupAlive(pgid int) bool { return PidAlive(-pgid) }

// PidAlive reports whether the process exists (zombies included).
func PidAlive(pid int) bool {
	return !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// reapGroup reaps the group's members that are reload's zombies: on Linux
// reload is a child subreaper, so a member whose parent died is reparented
// to reload, and nothing else would wait for it. Call it only once the
// leader has been waited for: waiting by group touches no other child
// (every process reload starts leads its own group), but it would take the
// leader's status from its cmd.Wait.
func reapGroup(pgid int) {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-pgid, &ws, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}

// TakeTerminal makes reload's process group the foreground group of the
// terminal f, after an app that held it (SetGroup with foreground) ended.
// reload is a background group at that moment, and tcsetpgrp from the
// background raises SIGTTOU, which would stop reload: it is ignored for the
// call.
func TakeTerminal(f *os.File) error {
	if !signal.Ignored(syscall.SIGTTOU) {
		signal.Ignore(syscall.SIGTTOU)
		defer signal.Reset(syscall.SIGTTOU)
	}
	rc, err := f.SyscallConn() // not Fd(), which would switch f to blocking mode
	if err != nil {
		return err
	}
	var ioErr error
	if err := rc.Control(func(fd uintptr) {
		ioErr = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPGRP, unix.Getpgrp())
	}); err != nil {
		return err
	}
	return ioErr
}

// Relay passes a job-control signal to the app's group (pgid; 0 while no
// app runs) the way a shell or sudo does, since the app's group is not
// reload's: SIGTSTP (Ctrl+Z) stops the app and then reload itself, so the
// shell sees the job stopped; SIGCONT (fg, bg) resumes the app.
func Relay(pgid int, s os.Signal) {
	sig, ok := s.(syscall.Signal)
	if !ok {
		return
	}
	if pgid > 0 {
		_ = SignalGroup(pgid, sig)
	}
	if sig == syscall.SIGTSTP {
		_ = syscall.Kill(syscall.Getpid(), syscall.SIGSTOP)
	}
}

// IsControllingTerminal reports whether f is reload's controlling
// terminal: only then can the app's group become its foreground group
// (under setsid, some IDE consoles and CI runners, stdin is a terminal
// that is not).
func IsControllingTerminal(f *os.File) bool {
	_, err := unix.IoctlGetInt(int(f.Fd()), unix.TIOCGPGRP)
	return err == nil
}
