//go:build unix

package runner

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Restarting must not grow reload: the same runner goroutines and open
// files after 200 restarts as after one, and every old app gone (the
// SPEC's 1,000 restarts bar, scaled down to keep the suite fast).
func TestRestartsLeakNothing(t *testing.T) {
	r := startRun(t, shOptions(readyLine+"; exec sleep 100"))
	r.ready()
	r.send(Trigger{Reason: "rs"})
	r.ready()
	// The app may print before Run is done starting it: this line comes after.
	r.log.wait(t, "app started", 2)
	fds := openFiles(t)
	const goroutines = 2 // the loop and the current app's wait
	var pids []int
	for range 200 {
		r.send(Trigger{Paths: []string{"a.go"}})
		pids = append(pids, atoi(t, r.ready()["pid"]))
	}
	r.log.wait(t, "app started", 202)
	for _, pid := range pids[:len(pids)-1] {
		assertGone(t, pid, "after the restarts")
	}
	// A run's wait goroutine ends just after its process does.
	deadline := time.Now().Add(within)
	for runnerGoroutines() != goroutines || openFiles(t) > fds {
		if time.Now().After(deadline) {
			t.Fatalf("after 200 restarts: %d runner goroutines (was %d), %d open files (was %d)",
				runnerGoroutines(), goroutines, openFiles(t), fds)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// runnerGoroutines counts goroutines running the runner's own code (the
// loop, a run's wait). The runtime's own come and go, so they are not counted.
func runnerGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "runner.(*runner)") {
			n++
		}
	}
	return n
}

func openFiles(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/dev/fd")
	if err != nil {
		t.Skipf("cannot count open files: %v", err)
	}
	return len(ents)
}

// BenchmarkRestart measures a trigger to the new app's first line: stopping
// the old app, starting the new one, and sh's own start.
func BenchmarkRestart(b *testing.B) {
	r := startRun(b, shOptions(readyLine+"; exec sleep 100"))
	r.ready()
	for b.Loop() {
		r.send(Trigger{Paths: []string{"a.go"}})
		r.ready()
	}
}
