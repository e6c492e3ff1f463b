package main

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/reload-dev/reload/runner"
	"github.com/reload-dev/reload/watcher"
)

func TestFixOptionalPoll(t *testing.T) {
	vf := valueFlags(flags()) // also proves every flag's help key exists (help panics otherwise)
	for _, tc := range []struct{ in, want []string }{
		{[]string{"reload", "--poll", "app.js"}, []string{"reload", "--poll=500ms", "app.js"}},
		{[]string{"reload", "--poll", "2s", "app.js"}, []string{"reload", "--poll", "2s", "app.js"}},
		{[]string{"reload", "--poll=1s", "app.js"}, []string{"reload", "--poll=1s", "app.js"}},
		{[]string{"reload", "--poll"}, []string{"reload", "--poll=500ms"}},
		{[]string{"reload", "-d", "--poll", "--poll", "x"}, []string{"reload", "-d", "--poll", "--poll=500ms", "x"}}, // -d takes "--poll" as its value
		{[]string{"reload", "app.js", "--poll"}, []string{"reload", "app.js", "--poll"}},                             // the app's flag
		{[]string{"reload", "--", "app", "--poll"}, []string{"reload", "--", "app", "--poll"}},
	} {
		if got := fixOptionalPoll(tc.in, vf); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("fixOptionalPoll(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestForwardMergesWhileRunnerBusy: batches that arrive while the runner is
// not receiving become one trigger, with each path once.
func TestForwardMergesWhileRunnerBusy(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	batches := make(chan watcher.Batch)
	extra := make(chan runner.Trigger)
	out := make(chan runner.Trigger)
	done := make(chan struct{})
	go func() { defer close(done); forward(ctx, batches, extra, out) }()
	batches <- watcher.Batch{Paths: []string{"a", "b"}}
	batches <- watcher.Batch{Paths: []string{"b", "c"}}
	extra <- runner.Trigger{Reason: "rs"}
	batches <- watcher.Batch{Rescan: true}
	select {
	case got := <-out:
		want := runner.Trigger{Paths: []string{"a", "b", "c"}, Rescan: true, Reason: "rs"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no trigger")
	}
	batches <- watcher.Batch{Paths: []string{"d"}}
	if got := <-out; !reflect.DeepEqual(got.Paths, []string{"d"}) || got.Reason != "" {
		t.Fatalf("the next trigger must start empty, got %+v", got)
	}
	cancel()
	<-done
}
