//go:build linux

package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/testwait"
)

// pidApp writes its own pid and its child's to files, then waits: it
// prints nothing, so a closed output cannot end it.
const pidApp = `sleep 1000 & echo $! > child.pid
echo $$ > app.pid
wait
`

// readPid waits for dir/name to hold a pid.
func readPid(t *testing.T, dir, name string) int {
	t.Helper()
	pid := 0
	testwait.Until(t, "a pid in "+name, func() bool {
		b, err := os.ReadFile(filepath.Join(dir, name))
		n, err2 := strconv.Atoi(strings.TrimSpace(string(b)))
		pid = n
		return err == nil && err2 == nil && strings.HasSuffix(string(b), "\n")
	})
	return pid
}

// TestClosedOutputDoesNotLoseTheApp: `reload app 2>&1 | tee log`, tee gone,
// then Ctrl+C. reload's "stopping" line meets a closed pipe; it must still
// stop the app and exit 130, not die of SIGPIPE and leave the app running.
func TestClosedOutputDoesNotLoseTheApp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", pidApp)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(reloadBin, "--no-stdin", "app.sh")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	app, child := readPid(t, dir, "app.pid"), readPid(t, dir, "child.pid")
	t.Cleanup(func() { _ = syscall.Kill(-app, syscall.SIGKILL) })
	r.Close() // tee is gone
	interruptExits130(t, cmd, "141 is death by SIGPIPE")
	gone(t, app)
	gone(t, child)
}

// TestHangupStopsTheApp: the terminal reload runs in is closed (a window
// closed, an SSH session dropped). reload must stop the app and exit 129,
// not restart it into a dead terminal.
func TestHangupStopsTheApp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", pidApp)
	ctl, tty := openQuietPTY(t)
	p := startReloadIn(t, launch{dir: dir, stdin: tty, setsid: true}, "app.sh")
	app, child := readPid(t, dir, "app.pid"), readPid(t, dir, "child.pid")
	t.Cleanup(func() { _ = syscall.Kill(-app, syscall.SIGKILL) })
	ctl.Close() // the terminal hangs up: SIGHUP to reload, its session leader
	if got := p.wait(); got != 129 {
		t.Fatalf("want exit status 129 after the hang-up, got %d; stderr: %q", got, drain(p.errs))
	}
	gone(t, app)
	gone(t, child)
	if _, err := os.Stat(filepath.Join(dir, "app.pid.2")); err == nil {
		t.Fatal("the app was started again")
	}
}

// TestRestartSignals: SIGUSR2 always restarts; so does SIGHUP while the
// terminal is alive (here reload has none: a service, nohup).
func TestRestartSignals(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", readyApp)
	p := startReload(t, dir, "app.sh")
	p.ready()
	p.signal(syscall.SIGUSR2)
	if got := p.ready()["restarts"]; got != "1" {
		t.Fatalf("SIGUSR2: want restarts=1, got %s", got)
	}
	waitFor(t, p.errs, "restarting: SIGUSR2")
	p.signal(syscall.SIGHUP)
	if got := p.ready()["restarts"]; got != "2" {
		t.Fatalf("SIGHUP: want restarts=2, got %s", got)
	}
}

// TestKilledReloadTakesTheAppAlong: reload is killed outright (kill -9, the
// OOM killer). Nothing can catch that, so its watchdog must stop the app's
// group and the strays that left it, and free the app's port.
func TestKilledReloadTakesTheAppAlong(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed")
	}
	dir := t.TempDir()
	port := freePort(t)
	writeFile(t, dir, "app.sh", `sleep 1000 & echo $! > child.pid
setsid sleep 1000 & echo $! > daemon.pid
echo $$ > app.pid
exec python3 -m http.server --bind 127.0.0.1 `+strconv.Itoa(port)+`
`)
	p := startReload(t, dir, "app.sh")
	app, child, daemon := readPid(t, dir, "app.pid"), readPid(t, dir, "child.pid"), readPid(t, dir, "daemon.pid")
	t.Cleanup(func() {
		for _, pid := range []int{-app, app, child, daemon} {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	waitListening(t, port)
	p.signal(syscall.SIGKILL)
	p.wait()
	for _, pid := range []int{app, child, daemon} {
		gone(t, pid)
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatalf("the app's port is still taken after reload was killed: %v", err)
	}
	l.Close()
}

// waitListening waits until something accepts on 127.0.0.1:port.
func waitListening(t *testing.T, port int) {
	t.Helper()
	testwait.Until(t, fmt.Sprintf("a listener on port %d", port), func() bool {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

// TestCtrlZStopsTheAppToo: Ctrl+Z stops reload and the app with it (the
// app's group is not the terminal's, so reload passes the stop on, as a
// shell does); fg (SIGCONT) resumes both.
func TestCtrlZStopsTheAppToo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", pidApp)
	ctl, tty := openPTY(t)
	p := startReloadIn(t, launch{dir: dir, stdin: tty, setsid: true}, "app.sh")
	app, child := readPid(t, dir, "app.pid"), readPid(t, dir, "child.pid")
	t.Cleanup(func() { _ = syscall.Kill(-app, syscall.SIGKILL) })
	reload := p.cmd.Process.Pid
	if _, err := ctl.Write([]byte{0x1a}); err != nil { // Ctrl+Z
		t.Fatal(err)
	}
	for _, pid := range []int{reload, app, child} {
		waitState(t, pid, 'T')
	}
	if err := syscall.Kill(reload, syscall.SIGCONT); err != nil { // fg
		t.Fatal(err)
	}
	for _, pid := range []int{reload, app, child} {
		waitState(t, pid, 'S')
	}
}

// waitState waits until pid's state in /proc is want ('T' stopped, 'S'
// sleeping).
func waitState(t *testing.T, pid int, want byte) {
	t.Helper()
	testwait.Until(t, fmt.Sprintf("process %d in state %c", pid, want), func() bool {
		s, ok := procState(pid)
		return ok && s == want
	})
}

// TestFullStderrNeverBlocks: reload's stderr is a pipe nobody reads, full
// from the start. Status lines must not block reload: the app starts, and
// Ctrl+C stops it and reload at once.
func TestFullStderrNeverBlocks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", pidApp)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// Fill the pipe: write until a write would block.
	chunk := make([]byte, 4096)
	for {
		if err := w.SetWriteDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(chunk); err != nil {
			break
		}
	}
	if err := w.SetWriteDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(reloadBin, "-v", "app.sh")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	cmd.Stderr = w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	app := readPid(t, dir, "app.pid")
	t.Cleanup(func() { _ = syscall.Kill(-app, syscall.SIGKILL) })
	interruptExits130(t, cmd, "its stderr is full")
	gone(t, app)
}

// interruptExits130 sends SIGINT to cmd, a reload started without
// launchProc, and waits for it to exit 130; note says what else to expect.
func interruptExits130(t *testing.T, cmd *exec.Cmd, note string) {
	t.Helper()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		if got := exitStatus(err); got != 130 {
			t.Fatalf("want exit status 130 after SIGINT, got %d (%s)", got, note)
		}
	case <-time.After(within):
		t.Fatalf("reload did not exit within %v of SIGINT (%s)", within, note)
	}
}
