//go:build unix

package runner

import (
	"github.com/reload-dev/reload/internal/trigger"

	"fmt"
	"os"
	"path/filepath"
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
	r.send(trigger.Trigger{Reason: "rs"})
	r.ready()
	// The app may print before Run is done starting it: this line comes after.
	r.log.wait(t, "app started", 2)
	fds := openFiles(t)
	const goroutines = 2 // the loop and the current app's wait
	var pids []int
	for range 200 {
		r.send(trigger.Trigger{Paths: []string{"a.go"}})
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

// A crash loop must not grow reload either: 200 crash restarts later, the
// same runner goroutines and open files, and every crashed app reaped. The
// app pauses at the two checkpoints (until the test lets it go) so both
// counts are taken in the same state: one app running, no restart pending.
func TestCrashRestartsLeakNothing(t *testing.T) {
	dir := t.TempDir()
	const last = 201
	o := shOptions(readyLine + fmt.Sprintf(`
case $RELOAD_RESTARTS in 1|%d) while [ ! -e %s/go$RELOAD_RESTARTS ]; do sleep 0.01; done;; esac
exit 1`, last, dir))
	o.OnCrash = true
	o.Backoff.Initial, o.Backoff.Max = time.Microsecond, time.Microsecond
	r := startRun(t, o)

	counts := func(start int) (goroutines, fds int) {
		t.Helper()
		if got := atoi(t, r.ready()["restarts"]); got != start {
			t.Fatalf("start %d came where start %d was expected", got, start)
		}
		r.log.wait(t, "app started", start+1) // Run is done starting it
		// A run's wait goroutine ends just after its process does.
		deadline := time.Now().Add(within)
		for runnerGoroutines() != 2 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		return runnerGoroutines(), openFiles(t)
	}
	var pids []int
	r.ready()
	g1, fd1 := counts(1)
	go1 := filepath.Join(dir, "go1")
	if err := os.WriteFile(go1, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 2; i < last; i++ {
		pids = append(pids, atoi(t, r.ready()["pid"]))
	}
	g2, fd2 := counts(last)
	if g1 != 2 || g2 != g1 || fd2 > fd1 {
		t.Fatalf("after %d crash restarts: %d runner goroutines (was %d, want 2), %d open files (was %d)",
			last-1, g2, g1, fd2, fd1)
	}
	for _, pid := range pids {
		assertGone(t, pid, "after its crash")
	}
	if n := r.log.count("app crashed"); n != last {
		t.Fatalf("%d crash lines; want %d", n, last)
	}
}

// BenchmarkCrashRestart measures one crash restart with no backoff delay:
// noticing the exit, checking for leftovers, starting the next app.
func BenchmarkCrashRestart(b *testing.B) {
	o := shOptions(readyLine + "; exit 1")
	o.OnCrash = true
	o.Backoff.Initial, o.Backoff.Max = time.Microsecond, time.Microsecond
	r := startRun(b, o)
	for b.Loop() {
		r.ready()
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
		r.send(trigger.Trigger{Paths: []string{"a.go"}})
		r.ready()
	}
}
