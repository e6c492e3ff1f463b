//go:build unix

package runner

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/trigger"
	"github.com/reload-dev/reload/internal/warm"
)

// The "gated" child is what gate.cjs makes of node: it waits on the gate,
// takes the message's environment, then plays the app. A gate closed
// without a message ends it quietly.
func init() {
	extraModes["gated"] = func() int {
		fd := os.Getenv(warm.FdEnv)
		b, _ := io.ReadAll(os.NewFile(3, "gate"))
		if len(b) == 0 {
			return 0
		}
		var m struct {
			Set   map[string]string
			Unset []string
		}
		if err := json.Unmarshal(b, &m); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 98
		}
		for _, k := range m.Unset {
			os.Unsetenv(k)
		}
		for k, v := range m.Set {
			os.Setenv(k, v)
		}
		fmt.Printf("gate opened fd=%s now=%s\n", fd, os.Getenv(warm.FdEnv))
		return child("app")
	}
}

// warmOptions runs the test binary as the app, and as the one started
// ahead (env execs it, so its pid is the one reload started).
func warmOptions(t *testing.T) Options {
	o := appOptions(t)
	o.Warm = &warm.Plan{Argv: []string{"env", childEnv + "=gated", testBinary(t)}}
	return o
}

var aheadPid = regexp.MustCompile(`next app started ahead \(pid (\d+)\)`)

// ahead waits for the n-th process started ahead and returns its pid.
func (r *run) ahead(n int) int {
	r.t.Helper()
	l := r.log.wait(r.t, "next app started ahead", n)
	pid := atoi(r.t, aheadPid.FindStringSubmatch(l.text)[1])
	r.mu.Lock()
	r.pids = append(r.pids, pid)
	r.mu.Unlock()
	return pid
}

// A change opens the gate of the process started ahead: it becomes the
// app (same pid), with the start's RELOAD_* variables and without the
// gate's; the next one is started ahead, and none is left after Run.
func TestWarmOpensGate(t *testing.T) {
	r := startRun(t, warmOptions(t))
	old := atoi(t, r.ready()["pid"])
	w := r.ahead(1)
	r.send(trigger.Trigger{Paths: []string{"a.js", "b.js"}})
	if l := r.next("gate opened"); field(l, "fd") != "3" || field(l, "now") != "" {
		t.Fatalf("want the gate on fd 3 and its variable gone once open, got %q", l)
	}
	got := r.ready()
	if got["pid"] != fmt.Sprint(w) || got["restarts"] != "1" || got["changed"] != "a.js"+string(os.PathListSeparator)+"b.js" {
		t.Fatalf("want pid %d with restarts=1 and both changes, got %v", w, got)
	}
	assertGone(t, old, "once the new app runs")
	r.log.wait(t, "warm start: the app started ahead (pid "+fmt.Sprint(w), 1)
	next := r.ahead(2)
	r.cancel()
	r.result()
	assertGone(t, w, "after Run returned")
	assertGone(t, next, "after Run returned")
}

// A change to package.json starts cold and discards the process started
// ahead; so does one that died while it waited.
func TestWarmFallsBackCold(t *testing.T) {
	r := startRun(t, warmOptions(t))
	r.ready()
	w := r.ahead(1)
	r.send(trigger.Trigger{Paths: []string{"lib/package.json"}})
	r.log.wait(t, "cold start: lib/package.json changed", 1)
	if got := r.ready(); got["pid"] == fmt.Sprint(w) || got["restarts"] != "1" {
		t.Fatalf("want a cold start, not pid %d, got %v", w, got)
	}
	assertGone(t, w, "once discarded")

	w = r.ahead(2)
	if err := syscall.Kill(w, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	r.log.wait(t, fmt.Sprintf("started ahead (pid %d) ended while it waited", w), 1)
	r.send(trigger.Trigger{Reason: "rs"})
	r.log.wait(t, "cold start: no app was started ahead", 1)
	if got := r.ready(); got["pid"] == fmt.Sprint(w) || got["restarts"] != "2" {
		t.Fatalf("want a cold start, got %v", got)
	}
	r.ahead(3)
}

// Warm restarts must not grow reload: after 20 of them, the same runner
// goroutines and open files (the gate's pipe ends are closed), and every
// app gone but the current one and the one waiting.
func TestWarmRestartsLeakNothing(t *testing.T) {
	r := startRun(t, warmOptions(t))
	r.ready()
	r.ahead(1)
	r.send(trigger.Trigger{Paths: []string{"a.js"}})
	r.ready()
	w := r.ahead(2)
	fds := openFiles(t)
	const goroutines = 3 // the loop, and the waits of the app and of the one ahead
	pids := []int{}
	for i := range 20 {
		r.send(trigger.Trigger{Paths: []string{"a.js"}})
		if got := r.ready(); got["pid"] != fmt.Sprint(w) {
			t.Fatalf("restart %d: want pid %d, started ahead, got %v", i, w, got)
		}
		pids = append(pids, w)
		w = r.ahead(3 + i)
	}
	for _, pid := range pids[:len(pids)-1] {
		assertGone(t, pid, "after the restarts")
	}
	deadline := time.Now().Add(within)
	for runnerGoroutines() != goroutines || openFiles(t) > fds {
		if time.Now().After(deadline) {
			t.Fatalf("after 20 warm restarts: %d runner goroutines (want %d), %d open files (was %d)",
				runnerGoroutines(), goroutines, openFiles(t), fds)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
