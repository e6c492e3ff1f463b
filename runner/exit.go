package runner

import (
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"syscall"
	"time"

	"github.com/reload-dev/reload/internal/signals"
)

// ending is how one run of the app ended, as the loop sees it: the app ran
// and exited with code or died of sig, or it could not start (startErr).
type ending struct {
	code     int
	sig      syscall.Signal // 0 unless killed by a signal
	uptime   time.Duration
	startErr error
}

// endKind sorts endings by what reload does about them.
type endKind int

const (
	clean         endKind = iota // exit 0
	crashed                      // non-zero exit, or a signal nobody asked for
	asked                        // SIGHUP, SIGINT, SIGTERM, SIGPIPE: someone asked the app to stop
	interrupted                  // SIGINT at the terminal the app held
	cannotStart                  // not found: exec failed, or exit 127 from the shell
	notExecutable                // exec refused it, or exit 126 from the shell
)

// kind classifies e the way systemd's on-failure does. Every signal seen here
// was not sent by reload: endings of runs reload stopped are not classified.
func (e ending) kind(foreground bool) endKind {
	if e.startErr != nil {
		switch {
		case isNotFound(e.startErr):
			return cannotStart
		case isTransient(e.startErr):
			return crashed // as systemd counts an exec failure: Restart= applies
		}
		return notExecutable
	}
	switch {
	case e.sig == 0 && e.code == 0:
		return clean
	case e.sig == 0 && e.code == 127:
		return cannotStart
	case e.sig == 0 && e.code == 126:
		return notExecutable
	case foreground && (e.sig == syscall.SIGINT || (e.sig == 0 && e.code == 130)):
		// Ctrl+C reached only the app's foreground group. An app that
		// catches SIGINT and exits 130 follows the shell's convention for
		// the same thing.
		return interrupted
	}
	switch e.sig {
	case syscall.SIGHUP, syscall.SIGINT, syscall.SIGTERM, syscall.SIGPIPE:
		return asked
	}
	return crashed
}

// status is the exit status reload passes on: the code, 128+N for signal N,
// and the shell's 127/126 when the command could not start.
func (e ending) status() int {
	switch {
	case e.startErr != nil && isNotFound(e.startErr):
		return 127
	case e.startErr != nil:
		return 126
	case e.sig != 0:
		return 128 + int(e.sig)
	}
	return e.code
}

// describe says how a crashed run ended, for the status line.
func (e ending) describe() string {
	switch e.sig {
	case 0:
		return fmt.Sprintf("exit code %d", e.code)
	case syscall.SIGKILL:
		return "SIGKILL (killed, possibly out of memory)"
	}
	return signalName(e.sig)
}

// signalName names sig like "SIGSEGV", from the one signal table.
func signalName(sig syscall.Signal) string { return signals.Name(sig) }

// startProblem names the command and why it could not start:
// `"node": executable file not found in $PATH`.
func (e ending) startProblem(describe string) string {
	var ee *exec.Error
	var pe *fs.PathError
	switch {
	case errors.As(e.startErr, &ee):
		return fmt.Sprintf("%q: %v", ee.Name, ee.Err)
	case errors.As(e.startErr, &pe) && pe.Op == "fork/exec":
		return fmt.Sprintf("%q: %v", pe.Path, pe.Err)
	case e.startErr != nil:
		return fmt.Sprintf("%q: %v", describe, e.startErr)
	case e.code == 127:
		return fmt.Sprintf("%q: command not found (exit status 127)", describe)
	}
	return fmt.Sprintf("%q: command not executable (exit status %d)", describe, e.code)
}

// isNotFound tells "no such command" from "found but cannot run it" (and
// from a missing working directory, which is no reason to install anything).
func isNotFound(err error) bool {
	var pe *fs.PathError
	return errors.Is(err, exec.ErrNotFound) ||
		errors.As(err, &pe) && pe.Op == "fork/exec" && errors.Is(pe.Err, fs.ErrNotExist)
}

// isTransient tells a start that failed for want of resources, which may be
// there a moment later (too many open files, processes or too little
// memory), from one that will fail the same way every time.
func isTransient(err error) bool {
	for _, errno := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.EAGAIN, syscall.ENOMEM} {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}
