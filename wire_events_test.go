package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/buildstep"
	"github.com/reload-dev/reload/internal/events"
	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/runner"
	"github.com/reload-dev/reload/watcher"
)

// TestEventsFileIsIgnored: an events file under the project root is
// ignored by the watcher (each line written would be a change), by a glob
// that matches only it.
func TestEventsFileIsIgnored(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, tc := range []struct {
		path string
		want []string
	}{
		{filepath.Join(root, "events.jsonl"), []string{"events.jsonl"}},
		{filepath.Join(root, "logs", "ev[1]*.jsonl"), []string{`logs/ev\[1\]\*.jsonl`}},
		{filepath.Join(t.TempDir(), "events.jsonl"), nil}, // outside the root
		{"", nil}, // stdout, or no --events
	} {
		a := &appEvents{path: tc.path}
		if got := a.ignore(root); !slices.Equal(got, tc.want) {
			t.Errorf("ignore for %s = %q; want %q", tc.path, got, tc.want)
		}
	}
}

// TestAppEventsStream: the observers turn runner, build and watcher events
// into the stream's events, in order.
func TestAppEventsStream(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "events.jsonl")
	sink, err := events.Open(path, events.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := &appEvents{sink: sink, log: status.Discard()}
	began := time.Now()
	many := make([]string, 150)
	for i := range many {
		many[i] = "f" + string(rune('a'+i%26))
	}
	a.change(watcher.Batch{Paths: many, Seen: began})
	a.buildEvent(buildstep.Event{Kind: buildstep.Failed, Code: -1, Status: "signal: killed", Took: 5 * time.Millisecond})
	a.appEvent(runner.Event{Kind: runner.Started, Pid: 7, Reason: "change", Restarts: 1, At: began.Add(20 * time.Millisecond), Seen: began})
	a.appEvent(runner.Event{Kind: runner.Exited, Pid: 7, Signal: "SIGSEGV", Code: -1, Crashed: true, Uptime: time.Second, Restart: true, Next: 200 * time.Millisecond})
	a.appEvent(runner.Event{Kind: runner.Exited, Code: 127, Crashed: true, Status: `cannot start "x": not found`})
	a.close()

	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "time")
		got = append(got, m)
	}
	if len(got) != 5 {
		t.Fatalf("%d events: %v", len(got), got)
	}
	if c := got[0]; len(c["paths"].([]any)) != events.MaxPaths || c["count"] != 150.0 {
		t.Errorf("change: %v", c)
	}
	if f := got[1]; f["state"] != "failed" || f["code"] != nil || f["ms"] != 5.0 {
		t.Errorf("build: %v", f)
	}
	if s := got[2]; s["since_change_ms"] != 20.0 || s["restarts"] != 1.0 || s["reason"] != "change" {
		t.Errorf("start: %v", s)
	}
	if e := got[3]; e["pid"] != 7.0 || e["code"] != nil || e["signal"] != "SIGSEGV" || e["next_ms"] != 200.0 || e["uptime_ms"] != 1000.0 {
		t.Errorf("exit by signal: %v", e)
	}
	if e := got[4]; e["pid"] != nil || e["code"] != 127.0 || e["signal"] != nil || e["next_ms"] != nil || !strings.Contains(e["error"].(string), "cannot start") {
		t.Errorf("cannot start: %v", e)
	}
}
