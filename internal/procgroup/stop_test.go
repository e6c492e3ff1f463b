//go:build unix

package procgroup

import (
	"slices"
	"syscall"
	"testing"
	"time"
)

// ignoreTerm starts a child of the leader that ignores SIGTERM and says so
// once it does (and then holds no pipe open); the leader itself dies of
// SIGTERM.
const ignoreTerm = `(trap '' TERM; exec sh -c 'echo "pid=$$"; exec sleep 30 >/dev/null') & `

func TestStop(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		script string
		exited bool // wait for the leader to exit before Stop: only leftovers are stopped
		kill   bool // Kill closed before Stop
		want   Outcome
	}{
		{"leader and child go on SIGTERM", `sleep 30 >/dev/null & echo "pid=$!"; wait`, false, false, Gone},
		{"a child ignoring SIGTERM is killed after the grace", ignoreTerm + `wait`, false, false, Killed},
		{"a leader ignoring SIGTERM is killed after the grace", `trap '' TERM; echo "pid=$$"; while :; do sleep 0.05; done`, false, false, Killed},
		{"leftovers of an exited leader go on SIGTERM", `sleep 30 >/dev/null & echo "pid=$!"`, true, false, Gone},
		{"leftovers ignoring SIGTERM are killed after the grace", ignoreTerm, true, false, Killed},
		{"an exited leader with nothing left", `echo "pid=$$"`, true, false, Gone},
		{"kill skips the grace", ignoreTerm + `wait`, false, true, KilledNow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := startGroup(t, tc.script)
			pid := g.next()
			if tc.exited {
				g.waitExited()
			}
			// A grace to wait out is short; one that must not be is long,
			// so a slow machine cannot pass it by accident.
			grace := within
			if tc.want == Killed {
				grace = 300 * time.Millisecond
			}
			o := StopOptions{Grace: grace}
			if tc.kill {
				kill := make(chan struct{})
				close(kill)
				o.Kill = kill
			}
			got, took := g.stop(o)
			if got != tc.want {
				t.Errorf("Stop = %v; want %v", got, tc.want)
			}
			if took < grace != (tc.want != Killed) {
				t.Errorf("Stop took %v with a grace of %v; want the grace waited out only for %v", took, grace, Killed)
			}
			assertGone(t, g.pid, g.pid, pid)
		})
	}
}

// The stop signal is the one asked for.
func TestStopSendsTheSignalAskedFor(t *testing.T) {
	t.Parallel()
	g := startGroup(t, `trap '' TERM; sleep 30 >/dev/null & echo "pid=$!"; wait`)
	pid := g.next()
	got, took := g.stop(StopOptions{Signal: syscall.SIGUSR1, Grace: within})
	if got != Gone || took >= within {
		t.Fatalf("Stop with SIGUSR1 = %v after %v; want Gone before the grace ran out", got, took)
	}
	assertGone(t, g.pid, g.pid, pid)
}

// SetGroup's command leads a group of its own, which GroupAlive sees.
func TestSetGroup(t *testing.T) {
	t.Parallel()
	cmd := Shell("read x; true") // until stdin closes
	SetGroup(cmd, false)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid, waited := cmd.Process.Pid, false
	t.Cleanup(func() {
		if !waited {
			_ = SignalGroup(pid, syscall.SIGKILL)
			_ = cmd.Wait()
		}
	})
	if pgid, err := syscall.Getpgid(pid); err != nil || pgid != pid {
		t.Errorf("group of %d is %d (%v); want its own", pid, pgid, err)
	}
	if !GroupAlive(pid) || !PidAlive(pid) {
		t.Errorf("GroupAlive/PidAlive: false for a live group")
	}
	stdin.Close()
	err, waited = cmd.Wait(), true
	if err != nil {
		t.Fatalf("sh: %v", err)
	}
	if GroupAlive(pid) || PidAlive(pid) {
		t.Errorf("GroupAlive/PidAlive: true for a group that is gone")
	}
}

// Shell passes the string to the shell whole: its quotes are the shell's.
func TestShell(t *testing.T) {
	t.Parallel()
	out, err := Shell(`printf '%s|' "a b" 'c "d"' e`).Output()
	if err != nil || string(out) != `a b|c "d"|e|` {
		t.Fatalf("got %q, %v", out, err)
	}
	if got := Shell("x").Args; !slices.Equal(got, ShellArgv("x")) {
		t.Fatalf("Shell runs %q; ShellArgv says %q", got, ShellArgv("x"))
	}
}
