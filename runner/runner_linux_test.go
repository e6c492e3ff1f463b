package runner

import (
	"github.com/reload-dev/reload/internal/trigger"

	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/reload-dev/reload/internal/procgroup"
	"github.com/reload-dev/reload/internal/status"
)

func init() { extraModes["host"] = host }

// A grandchild that left the app's group and session is still stopped:
// reload is its subreaper.
func TestSetsidGrandchildStoppedOnRestart(t *testing.T) {
	r := startRun(t, appOptions(t, "CHILD_SPAWN=setsid"))

	grandchild := atoi(t, field(r.next("grandchild pid="), "pid"))
	first := r.ready()
	if pgid, err := syscall.Getpgid(grandchild); err != nil || pgid == atoi(t, first["pid"]) {
		t.Fatalf("setup: grandchild group %d (%v); want one of its own", pgid, err)
	}
	r.send(trigger.Trigger{Reason: "rs"})
	r.ready()
	assertGone(t, grandchild, "once the next app started")
	assertGone(t, atoi(t, first["pid"]), "once the next app started")
}

func TestExitLeavesNoStrays(t *testing.T) {
	o := appOptions(t, "CHILD_SPAWN=setsid", "CHILD_EXIT=1")
	o.Watching = false
	r := startRun(t, o)

	grandchild := atoi(t, field(r.next("grandchild pid="), "pid"))
	if res := r.result(); res.status != 1 || res.err != nil {
		t.Fatalf("Run = (%d, %v); want (1, nil)", res.status, res.err)
	}
	assertGone(t, grandchild, "after Run returned")
}

// An orphan that dies while the app runs is reaped, not left a zombie.
func TestOrphanZombiesAreReaped(t *testing.T) {
	r := startRun(t, appOptions(t, "CHILD_SPAWN=double-fork", "CHILD_SLEEPER_ORPHAN_EXIT=1"))

	var orphan, app int // their lines come in either order
	for orphan == 0 || app == 0 {
		l := r.next("pid=")
		if strings.HasPrefix(l, "ready ") {
			app = atoi(t, field(l, "pid"))
		} else if strings.HasSuffix(l, " orphaned") {
			orphan = atoi(t, field(l, "pid"))
		}
	}
	waitGone(t, orphan)
	if !procgroup.PidAlive(app) || r.log.count("starting:") != 1 {
		t.Fatalf("the app was disturbed while reaping an orphan")
	}
}

// Children reload starts itself (a build) are not the app's: a restart
// neither stops them nor steals their exit status.
func TestOtherChildrenAreLeftAlone(t *testing.T) {
	r := startRun(t, appOptions(t))
	r.ready()

	build := exec.Command("sleep", "60")
	failing := exec.Command("sh", "-c", "exit 7")
	for _, c := range []*exec.Cmd{build, failing} {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { _ = build.Process.Kill(); _ = build.Wait() })
	// Leave the failing one a zombie while Run handles its SIGCHLD and a restart.
	for deadline := time.Now().Add(within); ; time.Sleep(time.Millisecond) {
		var info unix.Siginfo // WNOWAIT: look at its exit, leave it a zombie
		err := unix.Waitid(unix.P_PID, failing.Process.Pid, &info, unix.WEXITED|unix.WNOHANG|unix.WNOWAIT, nil)
		if err != nil {
			t.Fatalf("a child that was not the app's was reaped behind its cmd.Wait (waitid: %v)", err)
		}
		if info.Signo != 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("setup: sh did not exit")
		}
	}
	r.send(trigger.Trigger{Reason: "rs"})
	r.ready()
	if !procgroup.PidAlive(build.Process.Pid) {
		t.Error("a restart stopped a child that was not the app's")
	}
	var ee *exec.ExitError
	if err := failing.Wait(); !errors.As(err, &ee) || ee.ExitCode() != 7 {
		t.Errorf("Wait on a child that was not the app's = %v; want exit status 7", err)
	}
}

// In foreground mode the app holds the terminal; Ctrl+C there reaches only
// the app, and Run reports ErrInterrupted with the terminal taken back.
func TestForegroundCtrlC(t *testing.T) {
	t.Parallel() // Run runs in its own process here
	ptmx, pts := openPty(t)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	cmd := exec.Command(testBinary(t))
	cmd.Env = append(os.Environ(), childEnv+"=host", "GORACE=atexit_sleep_ms=0")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = pts, pw, pw
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	pts.Close()
	var appPid int
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if appPid > 0 {
			_ = syscall.Kill(-appPid, syscall.SIGKILL)
		}
		_ = cmd.Wait()
	})
	out := make(chan string, 64)
	go func() {
		defer close(out)
		for sc := bufio.NewScanner(pr); sc.Scan(); {
			out <- sc.Text()
		}
	}()
	next := func(want string) string {
		t.Helper()
		for deadline := time.After(within); ; {
			select {
			case l, ok := <-out:
				if !ok {
					t.Fatalf("host output ended before %q", want)
				}
				if strings.Contains(l, want) {
					return l
				}
			case <-deadline:
				t.Fatalf("no %q from the host within %v", want, within)
			}
		}
	}

	appPid = atoi(t, field(next("ready pid="), "pid"))
	fg, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPGRP)
	if err != nil || fg != appPid {
		t.Fatalf("terminal foreground group %d (%v); want the app's, %d", fg, err, appPid)
	}
	if _, err := ptmx.Write([]byte{3}); err != nil { // ^C: SIGINT to the foreground group
		t.Fatal(err)
	}
	if got := next("result "); got != "result status=130 interrupted=true reclaimed=true" {
		t.Fatalf("host says %q; want status 130, ErrInterrupted, the terminal back", got)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("host ended with %v; want a clean exit (the SIGINT was not its)", err)
	}
}

// host plays reload on a terminal: the app gets it in foreground mode.
func host() int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Println(err)
		return 99
	}
	log := status.New(os.Stderr, false, status.Verbose)
	reaper := procgroup.NewReaper(log) // as main does
	defer reaper.Close()
	o := Options{
		Argv: []string{exe}, Env: append(os.Environ(), childEnv+"=app"),
		Stdin: os.Stdin, Foreground: true, Stdout: os.Stdout, Stderr: os.Stderr,
		StopTimeout: 5 * time.Second, Watching: true,
		Log: log, Reaper: reaper,
	}
	start := make(chan trigger.Trigger, 1)
	start <- trigger.Trigger{Reason: trigger.Start}
	code, err := Run(context.Background(), o, start)
	fg, _ := unix.IoctlGetInt(0, unix.TIOCGPGRP)
	fmt.Printf("result status=%d interrupted=%v reclaimed=%v\n", code, errors.Is(err, ErrInterrupted), fg == unix.Getpgrp())
	return 0
}

// openPty opens a new pseudo-terminal pair.
func openPty(t *testing.T) (ptmx, pts *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	fd := int(ptmx.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	pts, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	return ptmx, pts
}
