// Package signals is the one table of stop signal names: config validation
// checks a name with it and the runner turns the name into the signal to
// send, so a name the file accepts is one the platform can send.
package signals

import (
	"fmt"
	"slices"
	"strings"
	"syscall"
)

// Table is the stop signals one platform can send, by name ("SIGTERM").
type Table struct {
	GOOS    string
	Signals map[string]syscall.Signal
}

// names are the POSIX signal names, without "SIG", on every platform: a
// name outside it is not a signal at all; one in it may still be one this
// platform cannot send.
var names = []string{
	"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
	"SEGV", "USR2", "PIPE", "ALRM", "TERM", "CHLD", "CONT", "STOP", "TSTP",
	"TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO",
	"PWR", "SYS",
}

// refused are signals that pause or resume a process instead of ending it:
// a stop that sent one could never complete gracefully.
var refused = map[string]string{
	"SIGSTOP": "pauses the app instead of ending it",
	"SIGTSTP": "pauses the app instead of ending it",
	"SIGTTIN": "pauses the app instead of ending it",
	"SIGTTOU": "pauses the app instead of ending it",
	"SIGCONT": "only resumes a paused app and never ends it",
}

// Stop reads name as a stop signal for this platform: "term", "TERM",
// "sigterm" and "SIGTERM" all give "SIGTERM" and its signal. The error is
// one line saying what to write instead.
func Stop(name string) (string, syscall.Signal, error) { return platform.Stop(name) }

// Name names sig like "SIGTERM", or "signal N" when it is not in this
// platform's table.
func Name(sig syscall.Signal) string { return platform.Name(sig) }

// Stop reads name as a stop signal t's platform can send; see the
// package-level Stop.
func (t Table) Stop(name string) (string, syscall.Signal, error) {
	n := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(name)), "SIG")
	if !slices.Contains(names, n) {
		return "", 0, fmt.Errorf(`%q is not a signal; use a name like "SIGTERM" or "SIGINT"`, name)
	}
	n = "SIG" + n
	if why, ok := refused[n]; ok {
		return "", 0, fmt.Errorf("%s %s, so a stop could never complete gracefully; use SIGTERM or SIGINT", n, why)
	}
	sig, ok := t.Signals[n]
	if !ok {
		return "", 0, fmt.Errorf("%s cannot be sent on %s; use SIGTERM, SIGINT or SIGKILL", n, t.GOOS)
	}
	return n, sig, nil
}

// Name names sig like "SIGTERM", or "signal N" when it is not in t.
func (t Table) Name(sig syscall.Signal) string {
	for n, s := range t.Signals {
		if s == sig {
			return n
		}
	}
	return fmt.Sprintf("signal %d", int(sig))
}

// windows is Windows' table. The runner sends a console CTRL_BREAK for
// every one of them but SIGKILL, which ends the process tree. It is built
// on every platform, so its rules are tested everywhere.
func windows() Table {
	return Table{GOOS: "windows", Signals: map[string]syscall.Signal{
		"SIGHUP": syscall.SIGHUP, "SIGINT": syscall.SIGINT, "SIGQUIT": syscall.SIGQUIT,
		"SIGKILL": syscall.SIGKILL, "SIGTERM": syscall.SIGTERM,
	}}
}
