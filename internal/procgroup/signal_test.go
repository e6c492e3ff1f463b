//go:build unix

package procgroup

import (
	"strings"
	"syscall"
	"testing"
)

func TestParseSignal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want syscall.Signal
		err  string
	}{
		{"", syscall.SIGTERM, ""},
		{"SIGINT", syscall.SIGINT, ""},
		{"term", syscall.SIGTERM, ""},
		{"SigKill", syscall.SIGKILL, ""},
		{"SIGNOPE", 0, `unknown stop signal "SIGNOPE"`},
	} {
		got, err := ParseSignal(tc.in)
		if got != tc.want || (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("ParseSignal(%q) = %v, %v; want %v, %q", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestSignalName(t *testing.T) {
	t.Parallel()
	for sig, want := range map[syscall.Signal]string{
		syscall.SIGSEGV: "SIGSEGV",
		syscall.SIGTERM: "SIGTERM",
		200:             "signal 200",
	} {
		if got := SignalName(sig); got != want {
			t.Errorf("SignalName(%d) = %q; want %q", int(sig), got, want)
		}
	}
}

func TestExitInfo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		script string
		code   int
		sig    syscall.Signal
	}{
		{"exit 0", 0, 0},
		{"exit 3", 3, 0},
		{"kill -KILL $$", -1, syscall.SIGKILL},
	} {
		cmd := Shell(tc.script)
		_ = cmd.Run() // the status is read from ProcessState
		if cmd.ProcessState == nil {
			t.Fatalf("%q did not run", tc.script)
		}
		if code, sig := ExitInfo(cmd.ProcessState); code != tc.code || sig != tc.sig {
			t.Errorf("%q: ExitInfo = %d, %v; want %d, %v", tc.script, code, sig, tc.code, tc.sig)
		}
	}
}
