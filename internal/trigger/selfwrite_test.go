package trigger

import (
	"testing"
	"time"
)

func TestSelfWrites(t *testing.T) {
	const window = 1050 * time.Millisecond // a second plus a 50ms delay
	// start is one start: after (since the previous start) the trigger
	// for it came, with paths; the app then takes run to start.
	type start struct {
		after time.Duration
		paths []string
	}
	first := start{}
	quick := func(paths ...string) start { return start{after: 200 * time.Millisecond, paths: paths} }
	late := func(paths ...string) start { return start{after: 3 * time.Second, paths: paths} }
	for _, tc := range []struct {
		name   string
		starts []start
		want   []string // what each start returns
	}{
		{"three quick in a row: warn at the third",
			[]start{first, quick("app.log"), quick("app.log"), quick("app.log")},
			[]string{"", "", "", "app.log"}},
		{"once only",
			[]start{first, quick("app.log"), quick("app.log"), quick("app.log"), quick("app.log"), quick("x.db"), quick("x.db"), quick("x.db")},
			[]string{"", "", "", "app.log", "", "", "", ""}},
		{"among other paths",
			[]start{first, quick("a.js", "app.log"), quick("app.log"), quick("app.log", "b.js")},
			[]string{"", "", "", "app.log"}},
		{"the user's edits, seconds apart",
			[]start{first, late("app.js"), late("app.js"), late("app.js"), late("app.js")},
			[]string{"", "", "", "", ""}},
		{"a slow change breaks the streak",
			[]start{first, quick("app.log"), quick("app.log"), late("app.log"), quick("app.log"), quick("app.log")},
			[]string{"", "", "", "", "", ""}},
		{"a start without paths (rs, crash) breaks it",
			[]start{first, quick("app.log"), quick("app.log"), quick(), quick("app.log"), quick("app.log")},
			[]string{"", "", "", "", "", ""}},
		{"a path missing from one start breaks its streak",
			[]start{first, quick("a.log"), quick("b.log"), quick("a.log"), quick("a.log")},
			[]string{"", "", "", "", ""}},
		{"the first start's own paths do not count",
			[]start{{paths: []string{"app.log"}}, quick("app.log"), quick("app.log")},
			[]string{"", "", ""}},
		{"just inside the window",
			[]start{first, {window - time.Millisecond, []string{"a"}}, {window - time.Millisecond, []string{"a"}}, {window - time.Millisecond, []string{"a"}}},
			[]string{"", "", "", "a"}},
		{"just outside it",
			[]start{first, {window, []string{"a"}}, {window, []string{"a"}}, {window, []string{"a"}}},
			[]string{"", "", "", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSelfWrites(window)
			now := time.Unix(1_000_000, 0)
			for i, st := range tc.starts {
				arrived := now.Add(st.after)
				now = arrived.Add(300 * time.Millisecond) // stopping the old app, starting the new
				if got := s.Started(now, arrived, st.paths); got != tc.want[i] {
					t.Fatalf("start %d: got %q, want %q", i, got, tc.want[i])
				}
			}
		})
	}
}
