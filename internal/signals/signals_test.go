package signals

import (
	"strings"
	"syscall"
	"testing"
)

// TestWindowsTable runs Windows' rules on any platform: only the names its
// runner can send pass, and the error names the platform and the choices.
func TestWindowsTable(t *testing.T) {
	t.Parallel()
	win := windows()
	for _, tc := range []struct {
		in, want string
		sig      syscall.Signal
	}{
		{"SIGTERM", "SIGTERM", syscall.SIGTERM},
		{"int", "SIGINT", syscall.SIGINT},
		{" sighup ", "SIGHUP", syscall.SIGHUP},
		{"QUIT", "SIGQUIT", syscall.SIGQUIT},
		{"SIGKILL", "SIGKILL", syscall.SIGKILL},
	} {
		got, sig, err := win.Stop(tc.in)
		if got != tc.want || sig != tc.sig || err != nil {
			t.Errorf("windows Stop(%q) = %q, %v, %v; want %q, %v", tc.in, got, sig, err, tc.want, tc.sig)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"SIGUSR1", "SIGUSR1 cannot be sent on windows; use SIGTERM, SIGINT or SIGKILL"},
		{"winch", "SIGWINCH cannot be sent on windows; use SIGTERM, SIGINT or SIGKILL"},
		{"SIGSTOP", "SIGSTOP pauses the app instead of ending it, so a stop could never complete gracefully; use SIGTERM or SIGINT"},
		{"SIGFOO", `"SIGFOO" is not a signal; use a name like "SIGTERM" or "SIGINT"`},
	} {
		if _, _, err := win.Stop(tc.in); err == nil || err.Error() != tc.want {
			t.Errorf("windows Stop(%q): %v\nwant %s", tc.in, err, tc.want)
		}
	}
	if got := win.Name(syscall.SIGTERM); got != "SIGTERM" {
		t.Errorf("Name(SIGTERM) = %q", got)
	}
	if got := win.Name(syscall.Signal(99)); got != "signal 99" {
		t.Errorf("Name(99) = %q", got)
	}
}

// TestRefusedAndUnknown holds on every platform's table: pausing signals
// are refused with why, and words that are no signal say so.
func TestRefusedAndUnknown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"SIGSTOP", "SIGSTOP pauses the app instead of ending it, so a stop could never complete gracefully; use SIGTERM or SIGINT"},
		{"tstp", "SIGTSTP pauses the app instead of ending it"},
		{"SIGTTIN", "SIGTTIN pauses the app instead of ending it"},
		{"SIGTTOU", "SIGTTOU pauses the app instead of ending it"},
		{"cont", "SIGCONT only resumes a paused app and never ends it, so a stop could never complete gracefully; use SIGTERM or SIGINT"},
		{"", `"" is not a signal; use a name like "SIGTERM" or "SIGINT"`},
		{"SIG", `"SIG" is not a signal`},
		{"15", `"15" is not a signal`},
		{"TERMX", `"TERMX" is not a signal`},
	} {
		for _, table := range []Table{platform, windows()} {
			_, _, err := table.Stop(tc.in)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("%s Stop(%q): %v\nwant it to start with %s", table.GOOS, tc.in, err, tc.want)
			}
		}
	}
	if _, _, err := Stop("SIGTERM"); err != nil {
		t.Errorf("Stop(SIGTERM) on this platform: %v", err)
	}
}
