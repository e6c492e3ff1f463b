// Package hooks runs the user's [hooks]: a shell command for each thing
// that happens to the app (start, restart, crash, exit, build_failed), as
// nodemon's events do. Hooks only listen: Fire hands the event to the
// Runner's goroutine and returns at once, so a slow or stuck hook never
// delays a restart.
package hooks

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/reload-dev/reload/internal/status"
)

// The hooks, by the names [hooks] and --hook use.
const (
	Start       = "start"        // every start of the app, the first included
	Restart     = "restart"      // a start after the first, for a change, rs or a restart signal
	Crash       = "crash"        // the app crashed, or could not start
	Exit        = "exit"         // the app exited cleanly (status 0) on its own
	BuildFailed = "build_failed" // a build failed; the old app keeps running
)

// Names lists every hook, in the order the docs give them.
var Names = []string{Start, Restart, Crash, Exit, BuildFailed}

// Info is what a hook is told about its event, as RELOAD_* variables.
type Info struct {
	Restarts int      // RELOAD_RESTARTS of the app the event is about; < 0: none has started (empty)
	Changed  []string // RELOAD_CHANGED and RELOAD_CHANGED_FILE: the changed paths behind it
	Pid      int      // RELOAD_APP_PID: the app's process; 0: none (empty)
	Exited   bool     // Code or Signal says how the app ended (crash, exit)
	Code     int      // RELOAD_EXIT_CODE, when Exited and Signal is ""
	Signal   string   // RELOAD_SIGNAL, like "SIGSEGV", when Exited by a signal
}

// Options say what to run and how.
type Options struct {
	Commands map[string]string // the shell command of each hook, by name; blank ones never run
	Dir      string            // where hooks run: the project root ("": reload's own folder)
	Env      []string          // the base environment, the app's (nil: reload's own); RELOAD_* are added
	Output   *os.File          // the hooks' stdout and stderr, given as is: no copying (nil: the null device)
	Log      *status.Printer
	Timeout  time.Duration // a hook still running after this is stopped, with a warning (0: DefaultTimeout)
	Grace    time.Duration // between the stop signal and SIGKILL to a hook's group (0: one second)
}

// DefaultTimeout bounds a hook's run: hooks are for quick jobs (a
// notification, a cache purge), and one that hangs must not pile up.
const DefaultTimeout = 30 * time.Second

// queue is how many events Fire can hand over before the Runner's
// goroutine takes them; more at once are dropped (and said with -v).
const queue = 32

// Runner runs hooks. One goroutine (loop) owns which hook runs and which
// waits; each run is a goroutine of its own that the loop waits for.
//
// One run at a time per hook: when a hook's event fires while that hook
// still runs, the event waits, at most one per hook, and a later one
// replaces it (counted, and said with -v). So the latest event always gets
// its hook once the running one ends, and a burst of restarts runs a slow
// hook at most twice, never in parallel with itself. Different hooks run
// side by side.
type Runner struct {
	o       Options
	changes string // private folder for RELOAD_CHANGED_FILE; "" without one
	reqs    chan request
	results chan result
	closing chan time.Duration
	done    chan struct{}
}

// request is one Fire.
type request struct {
	name string
	info Info
}

// New starts the Runner's goroutine; Close ends it. Blank commands are
// dropped, so Fire for them does nothing.
func New(o Options) *Runner {
	if o.Log == nil {
		o.Log = status.Discard()
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Grace <= 0 {
		o.Grace = time.Second
	}
	cmds := map[string]string{}
	for name, c := range o.Commands {
		if strings.TrimSpace(c) != "" {
			cmds[name] = c
		}
	}
	o.Commands = cmds
	r := &Runner{o: o, reqs: make(chan request, queue), results: make(chan result),
		closing: make(chan time.Duration), done: make(chan struct{})}
	if len(cmds) > 0 {
		dir, err := os.MkdirTemp("", "reload-hooks-") // mode 0700
		if err != nil {
			o.Log.Debugf("hooks go without RELOAD_CHANGED_FILE: %v", err)
		}
		r.changes = dir
	}
	go r.loop()
	return r
}

// Has reports whether hook name has a command to run.
func (r *Runner) Has(name string) bool { _, ok := r.o.Commands[name]; return ok }

// Fire runs hook name for an event, unless it has no command. It never
// blocks: the run starts on the Runner's goroutine. Call it from any
// goroutine, before Close.
func (r *Runner) Fire(name string, in Info) {
	if !r.Has(name) {
		return
	}
	select {
	case r.reqs <- request{name, in}:
	default:
		r.o.Log.Debugf("hook %q not run: %d events are already waiting", name, queue)
	}
}

// Close ends the Runner once every run is over. Runs still going, and the
// events Fire handed over but not yet started, get up to linger to finish
// (0: none); then each run still going is stopped (the stop signal to its
// group, the grace, SIGKILL). Call it once, after the last Fire.
func (r *Runner) Close(linger time.Duration) {
	r.closing <- linger
	<-r.done
	if r.changes != "" {
		_ = os.RemoveAll(r.changes)
	}
}

// slot is one hook's state in the loop.
type slot struct {
	stop    chan struct{} // the running hook's: closed to stop it; nil while none runs
	pending *Info         // the event that waits for the running one to end
	skipped int           // events replaced by a later one while waiting
}

// loop owns every slot: it starts runs, queues events, reports results,
// and on Close lingers, stops what is left and waits for it.
func (r *Runner) loop() {
	defer close(r.done)
	slots := map[string]*slot{}
	running := 0
	exiting := false // past the linger: start nothing more
	start := func(name string, in Info) {
		s := slots[name]
		if s == nil {
			s = &slot{}
			slots[name] = s
		}
		if s.stop != nil {
			if s.pending != nil {
				s.skipped++
				r.o.Log.Debugf("hook %q skipped for a later event: the one before still runs (%d skipped)", name, s.skipped)
			}
			s.pending = &in
			return
		}
		s.stop = make(chan struct{})
		running++
		r.o.Log.Debugf("hook %q: %s", name, r.o.Commands[name])
		go r.run(name, in, s.stop)
	}
	finished := func(res result) {
		running--
		r.report(res)
		s := slots[res.name]
		s.stop = nil
		if next := s.pending; next != nil && !exiting {
			s.pending = nil
			start(res.name, *next)
		}
	}
	for {
		select {
		case req := <-r.reqs:
			start(req.name, req.info)
		case res := <-r.results:
			finished(res)
		case linger := <-r.closing:
			// Events handed over before Close happened before reload
			// began to exit: they run too, if there is time for them.
			for taken := false; !taken; {
				select {
				case req := <-r.reqs:
					if linger > 0 {
						start(req.name, req.info)
					}
				default:
					taken = true
				}
			}
			if running > 0 && linger > 0 {
				r.o.Log.Infof("waiting up to %v for %s to finish", linger, plural(running, "hook"))
			}
			deadline := time.NewTimer(linger)
			defer deadline.Stop()
			for running > 0 {
				select {
				case res := <-r.results:
					finished(res)
				case <-deadline.C:
					exiting = true
					for _, s := range slots {
						s.pending = nil
						if s.stop != nil {
							close(s.stop)
						}
					}
				}
			}
			return
		}
	}
}

// plural is "1 hook", "2 hooks".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
