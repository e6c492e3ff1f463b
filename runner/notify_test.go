//go:build unix

package runner

import (
	"github.com/reload-dev/reload/internal/trigger"

	"strings"
	"testing"
	"time"
)

// Observers (the proxy) hear every step, in order, with how the app ended;
// a command that cannot start is named as such, not as "exit code 0".
func TestNotifyTellsEachStep(t *testing.T) {
	events := make(chan Event, 16)
	o := shOptions(readyLine + `; [ "$RELOAD_RESTARTS" = 1 ] && exit 3; exec sleep 100`)
	o.Notify = func(e Event) { events <- e }
	r := startRun(t, o)
	r.ready()
	next := func() Event {
		t.Helper()
		select {
		case e := <-events:
			return e
		case <-time.After(within):
			t.Fatal("no event")
			return Event{}
		}
	}
	if e := next(); e.Kind != Started || e.Pid == 0 {
		t.Fatalf("first event: %+v", e)
	}
	r.send(trigger.Trigger{Paths: []string{"a.go"}})
	if e := next(); e.Kind != Stopping {
		t.Fatalf("want Stopping, got %+v", e)
	}
	if e := next(); e.Kind != Started || len(e.Paths) != 1 || e.Paths[0] != "a.go" {
		t.Fatalf("want Started for a.go, got %+v", e)
	}
	if e := next(); e.Kind != Exited || !e.Crashed || e.Status != "exit code 3" {
		t.Fatalf("want a crash with exit code 3, got %+v", e)
	}
}

func TestNotifyCannotStart(t *testing.T) {
	events := make(chan Event, 16)
	o := Options{Argv: []string{"reload-test-no-such-command"}, Watching: true}
	o.Notify = func(e Event) { events <- e }
	r := startRun(t, o)
	r.log.wait(t, "cannot start", 1)
	select {
	case e := <-events:
		if e.Kind != Exited || !e.Crashed || !strings.Contains(e.Status, "cannot start") {
			t.Fatalf("want a cannot-start Exited event, got %+v", e)
		}
	case <-time.After(within):
		t.Fatal("no event")
	}
}
