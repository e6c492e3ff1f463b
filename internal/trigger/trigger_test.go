package trigger

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestMergeAndDescribe(t *testing.T) {
	m := Trigger{Paths: []string{"b", "a"}}.Merge(Trigger{Paths: []string{"c", "a"}, Rescan: true})
	if strings.Join(m.Paths, ",") != "a,b,c" || !m.Rescan {
		t.Errorf("merge = %+v; want paths a,b,c and rescan", m)
	}
	if m := (Trigger{Reason: "rs"}).Merge(Trigger{Reason: "SIGHUP"}); m.Reason != "rs" || m.Paths != nil {
		t.Errorf("merge of reasons = %+v; want rs, no paths", m)
	}
	if m := (Trigger{Reason: Start}).Merge(Trigger{Paths: []string{"x"}}); !m.First() || len(m.Paths) != 1 {
		t.Errorf("merge into the first start = %+v; want the first start, for x", m)
	}
	t0 := time.Now()
	if m := (Trigger{}).Merge(Trigger{Seen: t0}).Merge(Trigger{Seen: t0.Add(time.Second)}).Merge(Trigger{}); !m.Seen.Equal(t0) {
		t.Errorf("merged Seen = %v; want the earliest, %v", m.Seen, t0)
	}
	if m := (Trigger{Seen: t0.Add(time.Second)}).Merge(Trigger{Seen: t0}); !m.Seen.Equal(t0) {
		t.Errorf("merged Seen = %v; want the earliest, %v", m.Seen, t0)
	}
	for _, tc := range []struct {
		t    Trigger
		want string
	}{
		{Trigger{Paths: []string{"src/app.js"}}, "src/app.js changed"},
		{Trigger{Paths: []string{"a", "b", "c", "d"}}, "a changed (+3 more)"},
		{Trigger{Reason: "rs"}, "rs"},
		{Trigger{Rescan: true}, "files changed (some events were lost)"},
	} {
		if got := tc.t.String(); got != tc.want {
			t.Errorf("%+v: %q; want %q", tc.t, got, tc.want)
		}
	}
}

// TestCoalesceMergesWhileBusy: triggers that arrive while the reader is not
// receiving become one, with each path once; the next starts empty.
func TestCoalesceMergesWhileBusy(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in, out := make(chan Trigger), make(chan Trigger)
	done := make(chan struct{})
	go func() { defer close(done); Coalesce(ctx, in, out) }()
	in <- Trigger{Paths: []string{"a", "b"}}
	in <- Trigger{Paths: []string{"b", "c"}}
	in <- Trigger{Reason: "rs"}
	in <- Trigger{Rescan: true}
	want := Trigger{Paths: []string{"a", "b", "c"}, Rescan: true, Reason: "rs"}
	if got := receive(t, out); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	in <- Trigger{Paths: []string{"d"}}
	if got := receive(t, out); !reflect.DeepEqual(got, Trigger{Paths: []string{"d"}}) {
		t.Fatalf("the next trigger must start empty, got %+v", got)
	}
	cancel()
	<-done
}

// TestCoalesceDeliversHeldTriggerAfterInCloses: a closed input still lets
// the held trigger through, then Coalesce returns.
func TestCoalesceDeliversHeldTriggerAfterInCloses(t *testing.T) {
	in, out := make(chan Trigger, 1), make(chan Trigger)
	in <- Trigger{Reason: Start}
	close(in)
	done := make(chan struct{})
	go func() { defer close(done); Coalesce(context.Background(), in, out) }()
	if got := receive(t, out); !got.First() {
		t.Fatalf("got %+v, want the first start", got)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Coalesce did not return after its input closed")
	}
}

func receive(t *testing.T, out <-chan Trigger) Trigger {
	t.Helper()
	select {
	case got := <-out:
		return got
	case <-time.After(10 * time.Second):
		t.Fatal("no trigger")
	}
	return Trigger{}
}
