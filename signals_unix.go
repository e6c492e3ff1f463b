//go:build unix

package main

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// restartSignals restart the app whatever the terminal does (SPEC §3).
var restartSignals = []os.Signal{syscall.SIGUSR2}

// jobControlSignals are passed on to the app's group (Ctrl+Z, fg, bg).
var jobControlSignals = []os.Signal{syscall.SIGTSTP, syscall.SIGCONT}

// brokenPipe is caught so that it cannot kill reload (see notifySignals).
var brokenPipe os.Signal = syscall.SIGPIPE

func otherSignalName(s os.Signal) string {
	if sig, ok := s.(syscall.Signal); ok {
		if n := unix.SignalName(sig); n != "" {
			return n
		}
	}
	return s.String()
}

// hangup tells a hung-up terminal from a SIGHUP someone sent on purpose.
// It remembers the terminal reload started on (stdin, stdout or stderr);
// after a hang-up every operation on it fails (EIO), so a terminal that
// still answers tcgetattr is alive.
type hangup struct{ tty *os.File }

func newHangup() hangup {
	for _, f := range []*os.File{os.Stdin, os.Stderr, os.Stdout} {
		if _, err := unix.IoctlGetTermios(int(f.Fd()), ioctlGetTermios); err == nil {
			return hangup{tty: f}
		}
	}
	return hangup{}
}

// hungUp reports whether reload had a terminal and it is gone. Without a
// terminal (a service, nohup), SIGHUP is always a request to restart.
func (h hangup) hungUp() bool {
	if h.tty == nil {
		return false
	}
	_, err := unix.IoctlGetTermios(int(h.tty.Fd()), ioctlGetTermios)
	return err != nil
}
