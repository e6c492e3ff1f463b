//go:build unix

package procgroup

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/status"
)

// within bounds every wait: passing tests never reach it.
const within = 10 * time.Second

// The test binary is also a child: PROCGROUP_TEST_CHILD picks its part.
const childEnv = "PROCGROUP_TEST_CHILD"

// TestMain makes the test process a child subreaper, as reload is, so what
// a group leaves behind is reparented to it and Stop must reap it.
func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(child(mode))
	}
	NewReaper(status.Discard())
	os.Exit(m.Run())
}

// child plays a process of a group. Each prints "pid=N" once it is set up.
//
//	setsid  leaves the group (a new session), then sleeps; SIGTERM ends it
//	orphan  exits once reparented to the test process (its subreaper)
func child(mode string) int {
	switch mode {
	case "setsid":
		if _, err := syscall.Setsid(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 99
		}
		fmt.Printf("pid=%d\n", os.Getpid())
		time.Sleep(time.Hour)
	case "orphan":
		fmt.Printf("pid=%d\n", os.Getpid())
		subreaper, _ := strconv.Atoi(os.Getenv("PROCGROUP_TEST_PARENT"))
		for os.Getppid() != subreaper {
			time.Sleep(time.Millisecond)
		}
	default:
		fmt.Fprintf(os.Stderr, "unknown %s %q\n", childEnv, mode)
		return 99
	}
	return 0
}

// group is a script run by sh as the leader of a new process group. The
// script prints "pid=N" for each process the test must see gone.
type group struct {
	t      *testing.T
	pid    int
	exited chan struct{} // closed once the leader was waited for
	lines  chan string
}

// startGroup starts script; env is added to the environment, with the test
// binary as $BIN.
func startGroup(t *testing.T, script string, env ...string) *group {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := Shell(script)
	SetGroup(cmd, false)
	cmd.Env = append(append(os.Environ(), "BIN="+exe, "GORACE=atexit_sleep_ms=0", "PROCGROUP_TEST_PARENT="+strconv.Itoa(os.Getpid())), env...)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, os.Stderr
	err = cmd.Start()
	w.Close()
	if err != nil {
		r.Close()
		t.Fatal(err)
	}
	g := &group{t: t, pid: cmd.Process.Pid, exited: make(chan struct{}), lines: make(chan string, 16)}
	go func() {
		_ = cmd.Wait()
		close(g.exited)
	}()
	read := make(chan struct{})
	go func() {
		defer close(read)
		for sc := bufio.NewScanner(r); sc.Scan(); {
			g.lines <- sc.Text()
		}
	}()
	t.Cleanup(func() {
		_ = SignalGroup(g.pid, syscall.SIGKILL) // by group, never by name
		<-g.exited
		r.Close() // a process outside the group may hold the pipe
		<-read
	})
	return g
}

// next waits for the script's next "pid=N" line. The process is killed in
// cleanup by its group (a setsid child leads its own) if it is still there.
func (g *group) next() int {
	g.t.Helper()
	select {
	case l, ok := <-g.lines:
		n, err := strconv.Atoi(strings.TrimPrefix(l, "pid="))
		if !ok || err != nil {
			g.t.Fatalf("want a pid=N line, got %q (open %v)", l, ok)
		}
		g.t.Cleanup(func() {
			if PidAlive(n) {
				_ = SignalGroup(n, syscall.SIGKILL)
				_ = SignalPid(n, syscall.SIGKILL)
			}
		})
		return n
	case <-time.After(within):
		g.t.Fatalf("no pid=N line within %v", within)
		return 0
	}
}

// waitExited waits for the leader to have exited and been waited for.
func (g *group) waitExited() {
	g.t.Helper()
	select {
	case <-g.exited:
	case <-time.After(within):
		g.t.Fatalf("the leader %d did not exit within %v", g.pid, within)
	}
}

// stop runs Stop on the group and returns its outcome and duration.
func (g *group) stop(o StopOptions) (Outcome, time.Duration) {
	began := time.Now()
	out := Stop(g.pid, g.exited, o)
	return out, time.Since(began)
}

// assertGone checks, without waiting, that the group and pids are gone
// and reaped: Stop returns only then.
func assertGone(t *testing.T, pgid int, pids ...int) {
	t.Helper()
	if GroupAlive(pgid) {
		t.Errorf("group %d still has processes", pgid)
	}
	for _, pid := range pids {
		if PidAlive(pid) {
			t.Errorf("process %d is still there (a zombie counts)", pid)
		}
	}
}
