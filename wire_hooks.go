package main

import (
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/buildstep"
	"github.com/reload-dev/reload/internal/hooks"
	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/internal/trigger"
	"github.com/reload-dev/reload/runner"
)

// appHooks runs the [hooks] (--hook) when something happens to the app. It
// observes the runner and the build stage, as the proxy and the events
// stream do, and only listens: Fire hands the event to the hooks' own
// goroutine and returns at once. A nil *appHooks (no hooks set) does nothing.
type appHooks struct {
	r *hooks.Runner
	// last is the app's latest start (Pid 0 once it is gone). The runner's
	// goroutine writes it; the build stage's reads it for build_failed.
	last atomic.Pointer[hooks.Info]
}

// hookLinger is how long reload, exiting because of what happened to the
// app (--no-watch, exit_on_crash, a failed build with nothing to watch),
// waits for the hooks still running: the crash hook that tells someone is
// the point of that event. Exiting for a signal stops them at once.
const hookLinger = 5 * time.Second

// newHooks starts the hooks' runner, or returns nil when no hook is set.
// Hooks run in the project root, with the app's environment.
func newHooks(cfg config.Config, root string, env []string, log *status.Printer) *appHooks {
	set := false
	for _, c := range cfg.Hooks {
		set = set || strings.TrimSpace(c) != ""
	}
	if !set {
		return nil
	}
	h := &appHooks{r: hooks.New(hooks.Options{Commands: cfg.Hooks, Dir: root, Env: env, Output: os.Stderr, Log: log})}
	h.last.Store(&hooks.Info{Restarts: -1})
	return h
}

// close stops the hooks (see hookLinger) and waits for them. Call it once
// every stage has returned: nothing fires after it.
func (h *appHooks) close(appEnded bool) {
	if h == nil {
		return
	}
	linger := time.Duration(0)
	if appEnded {
		linger = hookLinger
	}
	h.r.Close(linger)
}

// appEvent is the runner's observer: start and restart on a start, crash
// or exit when the app ended on its own (nodemon's meanings: crash
// excludes exit). A stop reload makes is neither.
func (h *appHooks) appEvent(e runner.Event) {
	switch e.Kind {
	case runner.Started:
		in := hooks.Info{Restarts: e.Restarts, Changed: e.Paths, Pid: e.Pid}
		h.last.Store(&in)
		h.r.Fire(hooks.Start, in)
		if isRestart(e) {
			h.r.Fire(hooks.Restart, in)
		}
	case runner.Stopping:
		h.gone()
	case runner.Exited:
		in := *h.last.Load()
		in.Pid, in.Exited, in.Code, in.Signal = e.Pid, true, e.Code, e.Signal
		h.gone()
		if e.Crashed {
			h.r.Fire(hooks.Crash, in)
		} else {
			h.r.Fire(hooks.Exit, in)
		}
	}
}

// gone notes that the app of the latest start no longer runs.
func (h *appHooks) gone() {
	in := *h.last.Load()
	in.Pid = 0
	h.last.Store(&in)
}

// isRestart tells a start that the restart hook is for: one after the
// first, asked for by a change, rs or a signal, not the runner's own
// restart after a crash or a clean exit (reasons "crash", "exit").
func isRestart(e runner.Event) bool {
	return e.Restarts > 0 && e.Reason != trigger.Start && e.Reason != "crash" && e.Reason != "exit"
}

// buildEvent is the build stage's observer: build_failed, about the app
// that keeps running (if any), for the changes the build was for.
func (h *appHooks) buildEvent(e buildstep.Event) {
	if h == nil || e.Kind != buildstep.Failed {
		return
	}
	in := *h.last.Load()
	in.Changed = e.Paths
	h.r.Fire(hooks.BuildFailed, in)
}
