package procgroup

import (
	"errors"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The tests here are not parallel: a Reaper takes every orphan of the
// process as the app's (one per process is the design), so it would stop
// other tests' leftovers.

// newReaper returns a Reaper that has seen whether Go holds pidfds, learnt
// from a child that surely has not been waited for yet.
func newReaper(t *testing.T) *Reaper {
	t.Helper()
	r := NewReaper(nil)
	t.Cleanup(r.Close)
	probe := exec.Command("sleep", "30")
	if err := probe.Start(); err != nil {
		t.Fatal(err)
	}
	r.NoteStart(probe.Process.Pid)
	_ = probe.Process.Kill()
	_ = probe.Wait()
	return r
}

// What left the group is stopped too when Stop has the Reaper: a child
// that called setsid, and an orphan (double fork) adopted by the process.
func TestStopWithReaperEndsStrays(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		exited       bool
	}{
		{"setsid child of a running leader", `"$BIN" & wait`, false},
		{"setsid orphan of a running leader", `("$BIN" &); while :; do sleep 0.05; done`, false},
		{"setsid orphan of an exited leader", `("$BIN" &)`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newReaper(t)
			g := startGroup(t, tc.script, childEnv+"=setsid")
			stray := g.next()
			if pgid, err := syscall.Getpgid(stray); err != nil || pgid == g.pid {
				t.Fatalf("setup: the stray's group is %d (%v); want one of its own", pgid, err)
			}
			if tc.exited {
				g.waitExited()
			}
			if got, _ := g.stop(StopOptions{Grace: within, Reaper: r}); got != Gone {
				t.Errorf("Stop = %v; want %v", got, Gone)
			}
			assertGone(t, g.pid, g.pid, stray)
		})
	}
}

// An orphan that dies is reaped by ReapZombies; children started through
// os/exec are neither strays nor reaped behind their cmd.Wait, and Stop
// leaves them alone.
func TestReaperLeavesOtherChildrenAlone(t *testing.T) {
	r := newReaper(t)
	g := startGroup(t, `("$BIN" &); while :; do sleep 0.05; done`, childEnv+"=orphan")
	orphan := g.next()

	build, failing := startChild(t, "exec sleep 60"), startChild(t, "exit 7")
	for deadline := time.Now().Add(within); !exitedUnwaited(t, failing.Process.Pid); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("setup: sh did not exit")
		}
	}
	for deadline := time.Now().Add(within); PidAlive(orphan); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("orphan %d was not reaped within %v", orphan, within)
		}
		r.ReapZombies(g.pid)
	}
	for _, s := range r.strays(g.pid) {
		if s.pid == build.Process.Pid || s.pid == failing.Process.Pid {
			t.Errorf("a child started through os/exec (%d) was taken for a stray", s.pid)
		}
	}
	if got, _ := g.stop(StopOptions{Grace: within, Reaper: r}); got != Gone {
		t.Errorf("Stop = %v; want %v", got, Gone)
	}
	if !PidAlive(build.Process.Pid) {
		t.Error("Stop ended a child that was not the group's")
	}
	var ee *exec.ExitError
	if err := failing.Wait(); !errors.As(err, &ee) || ee.ExitCode() != 7 {
		t.Errorf("Wait on a child that was not the group's = %v; want exit status 7", err)
	}
}

// startChild starts sh -c script through os/exec, as reload starts its
// builds: Go holds a pidfd for it until Wait.
func startChild(t *testing.T, script string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return cmd
}

// exitedUnwaited reports whether pid has exited and is still waiting to be
// reaped (WNOWAIT leaves it so); it fails t if pid was reaped already.
func exitedUnwaited(t *testing.T, pid int) bool {
	t.Helper()
	var info unix.Siginfo
	if err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOHANG|unix.WNOWAIT, nil); err != nil {
		t.Fatalf("child %d was reaped behind its cmd.Wait (waitid: %v)", pid, err)
	}
	return info.Signo != 0
}
