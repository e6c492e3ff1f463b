//go:build unix

package runner

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// sysProcAttr makes the app lead a new process group, so one signal reaches
// it and its children. In foreground mode the group also becomes the
// terminal's foreground group (Ctty 0 is the app's stdin); the child does
// that with its signals blocked, so SIGTTOU cannot stop it.
func sysProcAttr(foreground bool) *syscall.SysProcAttr {
	if foreground {
		return &syscall.SysProcAttr{Setpgid: true, Foreground: true, Ctty: 0}
	}
	return &syscall.SysProcAttr{Setpgid: true}
}

// signalGroup signals the whole group; a group that is already gone is not
// an error.
func signalGroup(pgid int, sig syscall.Signal) error {
	if err := syscall.Kill(-pgid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}

// signalPid signals one process; one that is already gone is not an error.
func signalPid(pid int, sig syscall.Signal) error {
	if err := syscall.Kill(pid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}

// groupAlive reports whether any process (zombies included) is in the group.
func groupAlive(pgid int) bool {
	return !errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH)
}

// pidAlive reports whether the process exists (zombies included).
func pidAlive(pid int) bool {
	return !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// signalName names sig like "SIGSEGV".
func signalName(sig syscall.Signal) string {
	if n := unix.SignalName(sig); n != "" {
		return n
	}
	return fmt.Sprintf("signal %d", int(sig))
}

// exitInfo splits a wait status into an exit code or the killing signal.
func exitInfo(ps *os.ProcessState) (code int, sig syscall.Signal) {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return -1, ws.Signal()
	}
	return ps.ExitCode(), 0
}

// takeTerminal makes reload's process group the foreground group of the
// terminal f. reload is a background group at that moment, and tcsetpgrp
// from the background raises SIGTTOU, which would stop reload: it is
// ignored for the call.
func takeTerminal(f *os.File) error {
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
