//go:build unix

package buildstep

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/internal/testwait"
	"github.com/reload-dev/reload/internal/trigger"
)

// within bounds every wait: the machines are small and noisy, and a
// deadline only bounds a failure.
const within = testwait.Within

// harness is a stage with real sh builds in a temp dir, its status lines,
// the builds' output and its events captured.
type harness struct {
	t      *testing.T
	dir    string
	stage  *Stage
	log    *testwait.Buffer
	output *testwait.Buffer
	events chan Event
	in     chan trigger.Trigger
	out    chan trigger.Trigger
}

func newHarness(t *testing.T, command string) *harness {
	t.Helper()
	h := &harness{
		t: t, dir: t.TempDir(), log: &testwait.Buffer{}, output: &testwait.Buffer{},
		events: make(chan Event, 100), in: make(chan trigger.Trigger), out: make(chan trigger.Trigger),
	}
	h.stage = New(Options{
		Command:  command,
		Dir:      h.dir,
		Output:   h.output,
		Log:      status.New(h.log, false, status.Info),
		Grace:    300 * time.Millisecond,
		Notify:   func(e Event) { h.events <- e },
		Watching: true,
	})
	return h
}

// run starts Run; cleanup cancels it and waits for it to return.
func (h *harness) run() {
	ctx, cancel := context.WithCancel(context.Background())
	ret := make(chan error, 1)
	go func() { ret <- h.stage.Run(ctx, h.in, h.out) }()
	h.t.Cleanup(func() {
		cancel()
		select {
		case err := <-ret:
			if err != nil {
				h.t.Errorf("Run: %v", err)
			}
		case <-time.After(within):
			h.t.Errorf("Run did not return within %v of ctx done", within)
		}
	})
}

func (h *harness) write(rel, content string) {
	h.t.Helper()
	if err := os.WriteFile(filepath.Join(h.dir, rel), []byte(content), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) send(paths ...string) {
	h.t.Helper()
	h.sendTrigger(trigger.Trigger{Paths: paths})
}

func (h *harness) sendTrigger(t trigger.Trigger) {
	h.t.Helper()
	select {
	case h.in <- t:
	case <-time.After(within):
		h.t.Fatalf("the stage did not take a trigger within %v", within)
	}
}

// next returns the next trigger the stage passes on.
func (h *harness) next() trigger.Trigger {
	h.t.Helper()
	select {
	case t := <-h.out:
		return t
	case <-time.After(within):
		h.t.Fatalf("no trigger passed on within %v", within)
		return trigger.Trigger{}
	}
}

// event returns the next event, which must be of kind want.
func (h *harness) event(want EventKind) Event {
	h.t.Helper()
	select {
	case e := <-h.events:
		if e.Kind != want {
			h.t.Fatalf("want a %v event, got %+v", want, e)
		}
		return e
	case <-time.After(within):
		h.t.Fatalf("no %v event within %v", want, within)
		return Event{}
	}
}

// pids waits until the build has written n pids to the file "pids".
func (h *harness) pids(n int) []int {
	h.t.Helper()
	deadline := time.Now().Add(within)
	for {
		b, _ := os.ReadFile(filepath.Join(h.dir, "pids"))
		if f := strings.Fields(string(b)); len(f) >= n && strings.HasSuffix(string(b), "\n") {
			var pids []int
			for _, s := range f {
				pid, err := strconv.Atoi(s)
				if err != nil {
					h.t.Fatalf("pids file: %v", err)
				}
				pids = append(pids, pid)
			}
			return pids
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("the build wrote no %d pids within %v: %q", n, within, b)
		}
		time.Sleep(5 * time.Millisecond) // polling a file with a deadline
	}
}

// goneNow fails unless every pid is gone and reaped already.
func goneNow(t *testing.T, pids []int) {
	t.Helper()
	for _, pid := range pids {
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("build process %d is still there (kill 0: %v)", pid, err)
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

func TestFailedBuildPassesNothingOnAndKeepsItsOutput(t *testing.T) {
	t.Parallel()
	h := newHarness(t, `echo "out line"; echo "err line" >&2; exit "$(cat code)"`)
	h.write("code", "3")
	h.run()

	h.send("a.go")
	h.event(Building)
	e := h.event(Failed)
	if e.Status != "exit status 3" || e.Output != "out line\nerr line\n" || !slices.Equal(e.Paths, []string{"a.go"}) {
		t.Fatalf("failed event: %+v", e)
	}
	if !strings.Contains(h.output.String(), "out line\nerr line\n") {
		t.Fatalf("the build's output was not shown: %q", h.output.String())
	}
	if !strings.Contains(h.log.String(), "build failed (exit 3) — the app starts after the next good build") {
		t.Fatalf("status lines: %q", h.log.String())
	}

	// The sentinel: the next trigger passed on is the fixed build's.
	h.write("code", "0")
	h.send("b.go")
	if got := h.next(); !slices.Equal(got.Paths, []string{"b.go"}) {
		t.Fatalf("after a failed build, want only the fixed build's trigger, got %+v", got)
	}
	h.event(Building)
	if e := h.event(Succeeded); !slices.Equal(e.Paths, []string{"b.go"}) {
		t.Fatalf("succeeded event: %+v", e)
	}

	h.write("code", "2")
	h.send("c.go")
	h.event(Building)
	h.event(Failed)
	if !strings.Contains(h.log.String(), "build failed (exit 2) — still running the previous build") {
		t.Fatalf("status lines: %q", h.log.String())
	}
}

// hangOnce is a build that, the first time (while the file "hang" exists),
// leaves a child running and waits for it; every build writes its pids.
const hangOnce = `echo "$$" >> pids
if [ -f hang ]; then rm hang; sleep 30 & echo "$!" >> pids; wait; fi`

func TestChangeDuringBuildCancelsItAndBuildsBoth(t *testing.T) {
	t.Parallel()
	h := newHarness(t, hangOnce)
	h.write("hang", "")
	h.run()

	h.send("a.go")
	h.event(Building)
	first := h.pids(2) // the shell and its sleep
	h.send("b.go")
	if got := h.next(); !slices.Equal(got.Paths, []string{"a.go", "b.go"}) {
		t.Fatalf("want one build for both changes, got %+v", got)
	}
	goneNow(t, first)
	if e := h.event(Building); !slices.Equal(e.Paths, []string{"a.go", "b.go"}) {
		t.Fatalf("second build: %+v", e)
	}
	h.event(Succeeded) // and no Failed for the cancelled build
	if n := len(h.pids(3)); n != 3 {
		t.Fatalf("want exactly two builds, the pids file has %d", n)
	}
	if !strings.Contains(h.log.String(), "b.go changed during the build: building again") {
		t.Fatalf("status lines: %q", h.log.String())
	}
}

func TestShutdownKillsABuildThatIgnoresSIGTERM(t *testing.T) {
	t.Parallel()
	h := newHarness(t, `trap "" TERM; echo "$$" >> pids; sleep 30 & echo "$!" >> pids; wait; wait`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ret := make(chan error, 1)
	go func() { ret <- h.stage.Run(ctx, h.in, h.out) }()
	h.send("a.go")
	pids := h.pids(2)
	began := time.Now()
	cancel()
	select {
	case <-ret:
	case <-time.After(within):
		t.Fatalf("Run did not return within %v", within)
	}
	if took := time.Since(began); took < 300*time.Millisecond {
		t.Errorf("Run returned after %v, before the grace for SIGTERM was over", took)
	}
	goneNow(t, pids)
}

func TestLeftoversOfABuildAreEnded(t *testing.T) {
	t.Parallel()
	// The shell exits at once and leaves its child in the group, holding the output.
	h := newHarness(t, `sleep 30 & echo "$!" >> pids; echo built`)
	h.run()
	h.send("a.go")
	h.next()
	goneNow(t, h.pids(1))
	if !strings.Contains(h.output.String(), "built\n") {
		t.Fatalf("output: %q", h.output.String())
	}
}

// TestFirst: the first start is an ordinary trigger; its build runs like
// any other, and the app starts only after a good build.
func TestFirst(t *testing.T) {
	t.Parallel()
	start := trigger.Trigger{Reason: trigger.Start}
	t.Run("fails", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, `echo broken >&2; exit 1`)
		h.run()
		h.sendTrigger(start)
		h.event(Building)
		if e := h.event(Failed); e.Output != "broken\n" || e.Paths != nil {
			t.Fatalf("failed event: %+v", e)
		}
		select {
		case got := <-h.out:
			t.Fatalf("a failed first build passed %+v on", got)
		default:
		}
	})
	t.Run("fails with nothing watched", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, `exit 1`)
		h.stage.o.Watching = false
		ret := make(chan error, 1)
		go func() { ret <- h.stage.Run(context.Background(), h.in, h.out) }()
		h.sendTrigger(start)
		select {
		case err := <-ret:
			if !errors.Is(err, ErrNothingToRun) {
				t.Fatalf("Run = %v, want ErrNothingToRun", err)
			}
		case <-time.After(within):
			t.Fatalf("Run did not return within %v", within)
		}
	})
	t.Run("a change cancels it", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, hangOnce)
		h.write("hang", "")
		h.run()
		h.sendTrigger(start)
		first := h.pids(2)
		h.send("a.go")
		if got := h.next(); !got.First() || len(got.Paths) != 1 || got.Paths[0] != "a.go" {
			t.Fatalf("want the first start, for a.go; got %+v", got)
		}
		goneNow(t, first)
		if n := len(h.pids(3)); n != 3 {
			t.Fatalf("want exactly two builds, the pids file has %d", n)
		}
	})
	t.Run("cannot start", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t, "true")
		h.stage.o.Dir = filepath.Join(h.dir, "missing")
		h.run()
		h.sendTrigger(start)
		h.event(Building)
		if e := h.event(Failed); !strings.HasPrefix(e.Status, "cannot start: ") {
			t.Fatalf("failed event: %+v", e)
		}
	})
}

// BenchmarkTrueBuild is what the stage adds to a restart when the build
// itself costs nothing: a trigger in, `true` through sh, the trigger out.
func BenchmarkTrueBuild(b *testing.B) {
	s := New(Options{Command: "true", Dir: b.TempDir()})
	in, out := make(chan trigger.Trigger), make(chan trigger.Trigger)
	ctx, cancel := context.WithCancel(context.Background())
	ret := make(chan error, 1)
	go func() { ret <- s.Run(ctx, in, out) }()
	for b.Loop() {
		in <- trigger.Trigger{Paths: []string{"a.go"}}
		<-out
	}
	cancel()
	<-ret
}
