//go:build unix

package runner

import (
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/trigger"
)

// TestNotifyFields: each event carries what the --events stream reports —
// why the app starts or stops, its restart count, when the change behind it
// was seen, and how a run ended with what comes next.
func TestNotifyFields(t *testing.T) {
	events := make(chan Event, 16)
	// The second start (restarts=1) crashes; the crash restart sleeps.
	o := shOptions(readyLine + `; [ "$RELOAD_RESTARTS" = 1 ] && exit 3; exec sleep 100`)
	o.OnCrash = true
	o.Notify = func(e Event) { events <- e }
	r := startRun(t, o)
	r.ready()
	next := func(want EventKind) Event {
		t.Helper()
		select {
		case e := <-events:
			if e.Kind != want {
				t.Fatalf("want %v, got %+v", want, e)
			}
			return e
		case <-time.After(within):
			t.Fatalf("no %v event", want)
			return Event{}
		}
	}
	first := next(Started)
	if first.Reason != trigger.Start || first.Restarts != 0 || first.At.IsZero() || !first.Seen.IsZero() || first.Pid == 0 {
		t.Errorf("first start: %+v", first)
	}
	seen := time.Now().Add(-time.Second)
	r.send(trigger.Trigger{Paths: []string{"a.go"}, Seen: seen})
	if e := next(Stopping); e.Reason != "change" || e.Pid != first.Pid || e.Uptime <= 0 {
		t.Errorf("stop for a change: %+v", e)
	}
	second := next(Started)
	if second.Reason != "change" || second.Restarts != 1 || !second.Seen.Equal(seen) || second.At.Before(seen) {
		t.Errorf("start for a change: %+v", second)
	}
	e := next(Exited)
	if e.Pid != second.Pid || e.Code != 3 || e.Signal != "" || !e.Crashed || !e.Restart || e.Next != o.Backoff.Initial || e.Uptime <= 0 {
		t.Errorf("crash: %+v", e)
	}
	if e := next(Started); e.Reason != "crash" || e.Restarts != 2 {
		t.Errorf("restart after the crash: %+v", e)
	}
	r.send(trigger.Trigger{Reason: "rs"})
	if e := next(Stopping); e.Reason != "rs" {
		t.Errorf("stop for rs: %+v", e)
	}
	if e := next(Started); e.Reason != "rs" || e.Restarts != 3 || !e.Seen.IsZero() {
		t.Errorf("start for rs: %+v", e)
	}
	r.cancel()
	if e := next(Stopping); e.Reason != "shutdown" {
		t.Errorf("stop at shutdown: %+v", e)
	}
}

// TestNotifySignal: a death by a signal names it, with no exit code.
func TestNotifySignal(t *testing.T) {
	events := make(chan Event, 16)
	o := shOptions(readyLine + `; kill -SEGV $$`)
	o.Notify = func(e Event) { events <- e }
	startRun(t, o)
	deadline := time.After(within)
	for {
		select {
		case e := <-events:
			if e.Kind != Exited {
				continue
			}
			if e.Signal != "SIGSEGV" || e.Code != -1 || !e.Crashed || e.Restart {
				t.Errorf("death by SIGSEGV: %+v", e)
			}
			return
		case <-deadline:
			t.Fatal("no Exited event")
		}
	}
}

// TestNotifyCannotStartFields: a command that cannot start has no pid and
// the shell's 127.
func TestNotifyCannotStartFields(t *testing.T) {
	events := make(chan Event, 16)
	o := Options{Argv: []string{"reload-test-no-such-command"}, Watching: true}
	o.Notify = func(e Event) { events <- e }
	r := startRun(t, o)
	r.log.wait(t, "cannot start", 1)
	select {
	case e := <-events:
		if e.Kind != Exited || e.Pid != 0 || e.Code != 127 || e.Signal != "" || e.Restart {
			t.Errorf("cannot start: %+v", e)
		}
	case <-time.After(within):
		t.Fatal("no event")
	}
}
