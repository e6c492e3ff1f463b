package runner

import (
	"time"

	"github.com/reload-dev/reload/internal/trigger"
)

// EventKind says what happened to the app.
type EventKind int

// The app's lifecycle, as told to Options.Notify.
const (
	Stopping EventKind = iota + 1 // reload is stopping the app (a restart or shutdown)
	Started                       // a new app process is running
	Exited                        // the app ended on its own (a crash, a clean exit) or could not start
)

func (k EventKind) String() string {
	switch k {
	case Stopping:
		return "stopping"
	case Started:
		return "started"
	case Exited:
		return "exited"
	}
	return "unknown"
}

// Event is one step of the app's life, for observers such as a proxy that
// holds requests while the app restarts. Observers only listen: nothing they
// do changes what the runner does.
type Event struct {
	Kind    EventKind
	Pid     int      // the app's process (its group leader); 0 when it could not start
	Paths   []string // Started: the changed paths that caused this start
	Status  string   // Exited: how it ended, e.g. "exit status 1", "SIGSEGV"
	Crashed bool     // Exited: it counts as a crash (or it could not start)

	// Started: why it starts — "start" (the first), "change", a restart
	// command or signal ("rs", "SIGHUP", "SIGUSR2"), "crash" or "exit" (a
	// restart after a crash, or after a clean exit with OnExit).
	// Stopping: why it is stopped — a Started reason, or "shutdown".
	Reason   string
	Restarts int       // Started: this start's RELOAD_RESTARTS
	At       time.Time // Started: when the process started
	Seen     time.Time // Started: when the first change behind this start was seen (zero: unknown)

	Code    int           // Exited: the exit code (127 or 126 when it could not start); -1 when Signal is set
	Signal  string        // Exited: the signal that ended it, like "SIGSEGV"; "" when it exited
	Uptime  time.Duration // Exited, Stopping: how long it ran
	Restart bool          // Exited: a restart is scheduled, Next from now
	Next    time.Duration // Exited: the delay before that restart
}

// notify tells the observer, if any. It runs on the runner's goroutine, so
// an observer must not block.
func (r *runner) notify(e Event) {
	if r.opts.Notify != nil {
		r.opts.Notify(e)
	}
}

// reason says why the app (re)starts for t, in Event.Reason's words.
func (r *runner) reason(t trigger.Trigger) string {
	switch {
	case t.Reason != "":
		return t.Reason
	case len(t.Paths) > 0 || t.Rescan:
		return "change"
	case r.crashes > 0:
		return "crash"
	}
	return "exit" // OnExit: a clean exit is not a crash
}

// exitedEvent is the Exited event for pid's ending e, after the policy gave v.
func exitedEvent(pid int, e ending, status string, crashed bool, v verdict) Event {
	ev := Event{Kind: Exited, Pid: pid, Status: status, Crashed: crashed, Code: e.code,
		Uptime: e.uptime, Restart: v.restart, Next: v.delay}
	switch {
	case e.startErr != nil:
		ev.Code = e.status()
	case e.sig != 0:
		ev.Code, ev.Signal = -1, signalName(e.sig)
	}
	return ev
}
