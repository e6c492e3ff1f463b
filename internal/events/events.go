// Package events is reload's event stream (--events): one JSON object per
// line for every step of the app's life, for programs (editors, test
// runners, dashboards). Status lines are for people; events are for
// programs, and do not change with --quiet or --verbose. docs/events.md
// and docs/events.schema.json are the contract.
package events

import "time"

// Event is one kind of event; its fields follow "time" and "event" on its
// line.
type Event interface {
	Kind() string // the "event" field
}

// Watching: the watcher is set up, before the app first starts.
type Watching struct {
	Roots   []string `json:"roots"`   // the watch list, as configured
	Watches int      `json:"watches"` // directories watched
	MS      int64    `json:"ms"`      // how long setting up took
}

// Start: an app process started.
type Start struct {
	Pid      int    `json:"pid"`
	Restarts int    `json:"restarts"` // RELOAD_RESTARTS
	Reason   string `json:"reason"`   // "start", "change", "rs", "SIGHUP", "SIGUSR2", "crash", "exit"
	// SinceChangeMS is save → start: from the first change behind this
	// start (through the build, if any). Absent when no change caused it.
	SinceChangeMS *int64 `json:"since_change_ms,omitempty"`
}

// Ready: the app listens on a TCP socket (first one, once per start).
type Ready struct {
	Pid           int    `json:"pid"`
	Address       string `json:"address"` // "127.0.0.1:3000", "[::]:8080"
	URL           string `json:"url"`     // "http://127.0.0.1:3000" ("localhost" for every interface)
	MS            int64  `json:"ms"`      // start → ready
	SinceChangeMS *int64 `json:"since_change_ms,omitempty"`
}

// Change: the watcher saw changes (one debounced batch).
type Change struct {
	Paths  []string `json:"paths"`            // relative to the project root, sorted; at most MaxPaths
	Count  int      `json:"count"`            // how many paths changed (may exceed len(Paths))
	Rescan bool     `json:"rescan,omitempty"` // events were lost: assume anything changed
}

// MaxPaths caps Change.Paths: a checkout can change ten thousand files.
const MaxPaths = 100

// Build states.
const (
	BuildStarted   = "started"
	BuildSucceeded = "succeeded"
	BuildFailed    = "failed"
)

// BuildStart: a build started (a change during it cancels it; another starts).
type BuildStart struct {
	State string `json:"state"` // BuildStarted
}

// BuildSuccess: a build succeeded; the app restarts next.
type BuildSuccess struct {
	State string `json:"state"` // BuildSucceeded
	MS    int64  `json:"ms"`
}

// BuildFailure: a build failed; the old app (if any) keeps running.
type BuildFailure struct {
	State  string `json:"state"`  // BuildFailed
	Code   *int   `json:"code"`   // null when it has none (killed by a signal, could not start)
	Status string `json:"status"` // "exit status 2", "signal: killed", "cannot start: …"
	Tail   string `json:"tail"`   // the end of its output
	MS     int64  `json:"ms"`
}

// Exit: the app ended on its own (or could not start).
type Exit struct {
	Pid      *int    `json:"pid"`    // null when it could not start
	Code     *int    `json:"code"`   // null when a signal ended it
	Signal   *string `json:"signal"` // "SIGSEGV"; null when it exited
	UptimeMS int64   `json:"uptime_ms"`
	Crash    bool    `json:"crash"`   // a crash by SPEC §3 (or it could not start)
	NextMS   *int64  `json:"next_ms"` // the delay before reload restarts it; null: it waits for a change (or exits)
	Error    string  `json:"error,omitempty"`
}

// Stop: reload is stopping the app.
type Stop struct {
	Pid      int    `json:"pid"`
	Reason   string `json:"reason"` // a Start reason (what the restart is for), or "shutdown"
	UptimeMS int64  `json:"uptime_ms"`
}

// Dropped: the reader was too slow and Count events were left out here.
type Dropped struct {
	Count int64 `json:"count"`
}

func (Watching) Kind() string     { return "watching" }
func (Start) Kind() string        { return "start" }
func (Ready) Kind() string        { return "ready" }
func (Change) Kind() string       { return "change" }
func (BuildStart) Kind() string   { return "build" }
func (BuildSuccess) Kind() string { return "build" }
func (BuildFailure) Kind() string { return "build" }
func (Exit) Kind() string         { return "exit" }
func (Stop) Kind() string         { return "stop" }
func (Dropped) Kind() string      { return "dropped" }

// MS is d in whole milliseconds, for the *_ms fields.
func MS(d time.Duration) int64 { return d.Milliseconds() }

// Ptr returns a pointer to v, for the nullable fields.
func Ptr[T any](v T) *T { return &v }
