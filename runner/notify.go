package runner

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
	Pid     int      // Started: the new process
	Paths   []string // Started: the changed paths that caused this start
	Status  string   // Exited: how it ended, e.g. "exit status 1", "SIGSEGV"
	Crashed bool     // Exited: it counts as a crash (or it could not start)
}

// notify tells the observer, if any. It runs on the runner's goroutine, so
// an observer must not block.
func (r *runner) notify(e Event) {
	if r.opts.Notify != nil {
		r.opts.Notify(e)
	}
}
