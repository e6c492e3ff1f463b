package signals

import (
	"syscall"
	"testing"
)

// TestLinuxTable: every POSIX name is Linux's own signal, found the way
// the runner sends it; SIGKILL is a valid (if abrupt) stop signal.
func TestLinuxTable(t *testing.T) {
	t.Parallel()
	want := map[string]syscall.Signal{
		"SIGHUP": syscall.SIGHUP, "SIGINT": syscall.SIGINT, "SIGQUIT": syscall.SIGQUIT, "SIGILL": syscall.SIGILL,
		"SIGTRAP": syscall.SIGTRAP, "SIGABRT": syscall.SIGABRT, "SIGBUS": syscall.SIGBUS, "SIGFPE": syscall.SIGFPE,
		"SIGKILL": syscall.SIGKILL, "SIGUSR1": syscall.SIGUSR1, "SIGSEGV": syscall.SIGSEGV, "SIGUSR2": syscall.SIGUSR2,
		"SIGPIPE": syscall.SIGPIPE, "SIGALRM": syscall.SIGALRM, "SIGTERM": syscall.SIGTERM, "SIGCHLD": syscall.SIGCHLD,
		"SIGURG": syscall.SIGURG, "SIGXCPU": syscall.SIGXCPU, "SIGXFSZ": syscall.SIGXFSZ, "SIGVTALRM": syscall.SIGVTALRM,
		"SIGPROF": syscall.SIGPROF, "SIGWINCH": syscall.SIGWINCH, "SIGIO": syscall.SIGIO, "SIGPWR": syscall.SIGPWR,
		"SIGSYS": syscall.SIGSYS,
	}
	for name, sig := range want {
		for _, in := range []string{name, name[3:], " sig" + name[3:] + " "} {
			got, s, err := Stop(in)
			if got != name || s != sig || err != nil {
				t.Errorf("Stop(%q) = %q, %v, %v; want %q, %v", in, got, s, err, name, sig)
			}
		}
		if got := Name(sig); got != name {
			t.Errorf("Name(%v) = %q; want %q", sig, got, name)
		}
	}
	if platform.GOOS != "linux" {
		t.Errorf("GOOS %q", platform.GOOS)
	}
}

// TestUnixTableDropsUnknownNames: a Unix without a signal (macOS has no
// SIGPWR) refuses it, naming the platform.
func TestUnixTableDropsUnknownNames(t *testing.T) {
	t.Parallel()
	darwinish := unixTable("darwin", func(n string) syscall.Signal {
		if n == "SIGPWR" {
			return 0
		}
		return platform.Signals[n]
	})
	if _, _, err := darwinish.Stop("SIGPWR"); err == nil || err.Error() != "SIGPWR cannot be sent on darwin; use SIGTERM, SIGINT or SIGKILL" {
		t.Errorf("Stop(SIGPWR) without it: %v", err)
	}
	if got, _, err := darwinish.Stop("usr1"); got != "SIGUSR1" || err != nil {
		t.Errorf("Stop(usr1) = %q, %v", got, err)
	}
}
