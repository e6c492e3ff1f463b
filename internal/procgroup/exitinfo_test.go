//go:build unix

package procgroup

import (
	"syscall"
	"testing"
)

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
