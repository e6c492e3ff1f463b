//go:build linux

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// As a container's PID 1, reload reaps zombies that are not its app's (a
// `docker exec` shell's orphans become PID 1's children) and acts on
// SIGHUP, SIGTERM and SIGINT sent from inside the container: the kernel
// drops those unless PID 1 handles them. Run for real in a new PID
// namespace; root and util-linux's unshare and nsenter are needed.
func TestPID1(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"unshare", "nsenter"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (util-linux); cannot make a PID namespace", tool)
		}
	}
	if out, err := exec.Command("unshare", "--pid", "--fork", "--mount-proc", "true").CombinedOutput(); err != nil {
		t.Skipf("cannot make a PID namespace here (needs root or user namespaces): %v: %s", err, bytes.TrimSpace(out))
	}
	app := `trap 'echo "term pid=$$"; exit 0' TERM INT
echo "ready pid=$$ ppid=$PPID restarts=$RELOAD_RESTARTS"
while :; do sleep 0.05; done
`
	t.Run("reaps and restarts on SIGHUP, stops on SIGTERM", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeFile(t, dir, "app.sh", app)
		p, reload := startPID1(t, dir)
		if got := p.ready(); got["ppid"] != "1" {
			t.Fatalf("the app's parent is %s; want 1 (reload as PID 1)", got["ppid"])
		}
		// An outsider leaves an orphan, which becomes reload's child; once
		// released it exits, and only reload can reap it.
		nsenter := exec.Command("nsenter", "-t", strconv.Itoa(reload), "-p", "-m", "sh", "-c",
			`(while [ ! -e "$1/release" ]; do sleep 0.01; done) >/dev/null 2>&1 & echo $!`, "sh", dir)
		nsenter.WaitDelay = within // the orphan must not hold the output open; if it does, fail, not hang
		out, err := nsenter.Output()
		if err != nil {
			t.Fatalf("nsenter: %v", err)
		}
		orphan := adoptedAs(t, reload, strings.TrimSpace(string(out)))
		writeFile(t, dir, "release", "")
		gone(t, orphan) // a zombie never reaped would stay until the deadline

		inNamespace(t, reload, "kill -HUP 1")
		waitFor(t, p.out, "term pid=")
		if got := p.ready()["restarts"]; got != "1" {
			t.Fatalf("SIGHUP: want restarts=1, got %s", got)
		}
		inNamespace(t, reload, "kill -TERM 1")
		waitFor(t, p.out, "term pid=")
		if st := p.wait(); st != 143 {
			t.Fatalf("SIGTERM to PID 1: want exit 143, got %d", st)
		}
	})
	t.Run("SIGINT", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeFile(t, dir, "app.sh", app)
		p, reload := startPID1(t, dir)
		p.ready()
		inNamespace(t, reload, "kill -INT 1")
		waitFor(t, p.out, "term pid=")
		if st := p.wait(); st != 130 {
			t.Fatalf("SIGINT to PID 1: want exit 130, got %d", st)
		}
	})
}

// startPID1 runs reload --no-watch as PID 1 of a new PID namespace and
// returns it with reload's pid as this test sees it. Cleanup SIGKILLs
// unshare, whose --kill-child takes reload, and so the namespace, with it.
func startPID1(t *testing.T, dir string) (*proc, int) {
	t.Helper()
	cmd := exec.Command("unshare", "--pid", "--fork", "--mount-proc", "--kill-child",
		reloadBin, "--no-watch", "--", "sh", "app.sh")
	cmd.Dir = dir
	p := launchProc(t, cmd)
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	})
	for deadline := time.Now().Add(within); ; time.Sleep(5 * time.Millisecond) {
		if c := childPids(cmd.Process.Pid); len(c) == 1 {
			return p, c[0]
		}
		if time.Now().After(deadline) {
			t.Fatal("unshare started no reload")
		}
	}
}

// inNamespace runs a shell command in reload's PID and mount namespaces, as
// `docker exec` would.
func inNamespace(t *testing.T, reload int, script string) {
	t.Helper()
	cmd := exec.Command("nsenter", "-t", strconv.Itoa(reload), "-p", "-m", "sh", "-c", script)
	cmd.WaitDelay = within
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nsenter %q: %v: %s", script, err, out)
	}
}

// adoptedAs waits until the process with namespace pid nsPid is a child of
// reload, and returns its pid as this test sees it.
func adoptedAs(t *testing.T, reload int, nsPid string) int {
	t.Helper()
	for deadline := time.Now().Add(within); ; time.Sleep(5 * time.Millisecond) {
		for _, c := range childPids(reload) {
			status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", c))
			for line := range strings.Lines(string(status)) {
				if f := strings.Fields(line); len(f) > 1 && f[0] == "NSpid:" && f[len(f)-1] == nsPid {
					return c
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the outsider's orphan (pid %s inside) never became reload's child", nsPid)
		}
	}
}
