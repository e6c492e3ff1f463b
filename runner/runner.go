// Package runner owns the app: it starts it in its own process group, stops
// the whole group (and, on Linux, whatever left the group), restarts it on
// triggers, and tells a crash from a clean exit, restarting crashes with
// backoff. Run is the only loop; only its goroutine touches the process.
package runner

import (
	"context"
	"errors"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/procgroup"
	"github.com/reload-dev/reload/internal/signals"
	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/internal/trigger"
	"github.com/reload-dev/reload/internal/warm"
)

// ErrInterrupted is returned by Run when the app held the terminal
// (Options.Foreground) and died of a SIGINT reload did not send: the user
// pressed Ctrl+C at the app, so reload should exit too (status 130).
var ErrInterrupted = errors.New("app was interrupted")

// Options say what to run and how to supervise it.
type Options struct {
	Argv         []string      // the app's argv (for a shell string, procgroup.ShellArgv's, which only names it)
	Shell        string        // a shell string, when the app is one: it runs through procgroup.Shell, not Argv
	Describe     string        // how status lines name the command, e.g. "node index.js"
	Dir          string        // working directory of the app
	Env          []string      // the app's base environment (nil: reload's own); RELOAD_RESTARTS, RELOAD_CHANGED, RELOAD_CHANGED_FILE (and _TRUNCATED) are appended
	Stdin        *os.File      // given to the app directly (nil: the null device)
	Foreground   bool          // Stdin is a terminal handed to the app: its group becomes the terminal's foreground group
	Stdout       *os.File      // given to the app directly (nil: the null device)
	Stderr       *os.File      // given to the app directly (nil: the null device)
	Signal       string        // stop signal name, like "SIGTERM" ("" means config.Default()'s); see internal/signals
	StopTimeout  time.Duration // grace for the whole group after the stop signal, then SIGKILL
	Watching     bool          // false with --no-watch: Run returns when it will not restart the app
	OnCrash      bool          // restart after a crash, with backoff
	OnExit       bool          // restart after a clean exit (code 0) too, backing off alike; it is not a crash
	ExitOnCrash  bool          // Run returns the app's status when it crashes or cannot start, even when Watching
	Backoff      Backoff
	Clear        bool   // clear the screen before each restart caused by a trigger
	NotFoundHint string // appended to the "cannot start" line when the command is not found
	// Kill is closed on a second Ctrl+C: any stop in progress or to come
	// skips the grace period and SIGKILLs the group at once.
	Kill <-chan struct{}
	Log  *status.Printer // nil: print nothing
	// Reaper finds the app's processes that left its group (Linux): main
	// switches it on once with procgroup.NewReaper before anything starts.
	// nil: the app's group is all that is stopped.
	Reaper *procgroup.Reaper
	// Relay carries job-control signals to reload (Ctrl+Z, fg): they are
	// passed on to the app's group (procgroup.Relay).
	Relay <-chan os.Signal
	// Watchdog, if set, is told the app's group after each start and stop,
	// so it can stop the app if reload itself is killed.
	Watchdog *procgroup.Watchdog
	// Notify, if set, is told each step of the app's life (see Event). It is
	// called on the runner's goroutine and must not block.
	Notify func(Event)
	// Warm, if set, starts the next app ahead of time, once the current
	// one is up, waiting at a gate before it loads the app's code; a
	// restart then opens the gate instead of starting a process (--warm,
	// see internal/warm and warm.go).
	Warm *warm.Plan
}

// Backoff shapes the delay between crash restarts (and OnExit restarts).
// Zero fields take config.Default()'s; MaxCrashes 0 means no limit. Only
// crashes count toward MaxCrashes.
type Backoff struct {
	Initial, Max, ResetAfter time.Duration
	MaxCrashes               int
}

// Run starts the app for the first trigger (trigger.Start, from main) and loops until ctx is done or (not Watching) the app
// will not be restarted. On ctx done it stops the app gracefully (stop
// signal, StopTimeout, SIGKILL to the group) and returns (0, nil). When not
// Watching it returns the app's exit status (its code, or 128+N for death by
// signal N). It returns ErrInterrupted (with 130) when the app, holding the
// terminal in Foreground mode, died of a SIGINT reload did not send.
//
// With a Reaper (Linux), Run treats every orphan reparented to reload as
// the app's: run one Run per process, and start other children (a build)
// only through os/exec, whose pidfd marks them as not the app's.
func Run(ctx context.Context, opts Options, triggers <-chan trigger.Trigger) (exitStatus int, err error) {
	if len(opts.Argv) == 0 && opts.Shell == "" {
		return 0, errors.New("no command to run")
	}
	if opts.Signal == "" {
		opts.Signal = config.Default().Signal
	}
	_, sig, err := signals.Stop(opts.Signal)
	if err != nil {
		return 0, err
	}
	if opts.Log == nil {
		opts.Log = status.Discard()
	}
	if sig == syscall.SIGKILL {
		opts.Log.Debugf("stop signal SIGKILL: each stop kills the app at once, with no grace period")
	}
	if opts.Describe == "" {
		opts.Describe = strings.Join(opts.Argv, " ")
		if opts.Shell != "" {
			opts.Describe = opts.Shell
		}
	}
	if opts.Stdin == nil {
		opts.Foreground = false
	}
	ch := newChanges(opts.Log)
	defer ch.close()
	r := &runner{opts: opts, sig: sig, backoff: opts.Backoff.withDefaults(), reaper: opts.Reaper, changes: ch}
	return r.loop(ctx, triggers)
}

// runner is the state Run's goroutine owns alone: no other goroutine reads
// or writes it, so it needs no lock.
type runner struct {
	opts    Options
	changes *changes
	sig     syscall.Signal
	backoff Backoff
	reaper  *procgroup.Reaper
	cur     *proc // the running app; nil between runs
	starts  int   // start attempts so far: the next start's RELOAD_RESTARTS
	// streak counts the quick endings in a row that were restarted after
	// a delay (crashes, and clean exits under OnExit): it picks the delay.
	// crashes counts only the crashes in a row: it is what MaxCrashes and
	// the "(crash N)" of the status line count. A change resets both.
	streak, crashes int
	// warm is the next app, started ahead and waiting at the gate (nil:
	// none); warmTimer, when set, fires when the next one is due.
	warm      *proc
	warmTimer *time.Timer
}

// verdict is what the loop does after the app ended or failed to start.
type verdict struct {
	exit    bool // Run returns status and err
	status  int
	err     error
	restart bool // restart after delay
	delay   time.Duration
}

func (r *runner) loop(ctx context.Context, triggers <-chan trigger.Trigger) (int, error) {
	// The retry timer exists only while a restart after a crash or clean exit
	// is scheduled, so a waiting runner has nothing ticking.
	var retry *time.Timer
	var retryC <-chan time.Time
	disarm := func() {
		if retry != nil {
			retry.Stop()
			retry, retryC = nil, nil
		}
	}
	defer disarm()
	defer r.dropWarm()
	defer r.disarmWarm()

	v := verdict{}
	for {
		if ctx.Err() != nil {
			r.stopCurrent("shutdown")
			return 0, nil
		}
		if v.exit {
			return v.status, v.err
		}
		if v.restart {
			disarm()
			retry = time.NewTimer(v.delay)
			retryC = retry.C
		}
		var done <-chan struct{}
		if r.cur != nil {
			done = r.cur.done
		}
		select {
		case <-ctx.Done():
			r.stopCurrent("shutdown")
			return 0, nil
		case t, ok := <-triggers:
			if !ok { // no more triggers (the watcher ended): keep supervising
				triggers = nil
				v = verdict{}
				continue
			}
			disarm()
			r.streak, r.crashes = 0, 0 // a change always restarts at once and resets the backoff
			v = r.restart(ctx, t, triggers)
		case <-done:
			v = r.ended()
		case <-retryC:
			retry, retryC = nil, nil
			v = r.begin(trigger.Trigger{})
		case s := <-r.opts.Relay:
			procgroup.Relay(r.curPid(), s)
			v = verdict{}
		case <-r.reaper.Events():
			r.reaper.ReapZombies(r.curPid())
			v = verdict{}
		case <-r.warmC():
			r.startWarm()
			v = verdict{}
		case <-r.warmDone():
			r.warmEnded()
			v = verdict{}
		}
	}
}

// restart stops the app (if it runs) and starts it for t. Triggers that
// arrived while the old app was stopping belong to this start: they are
// merged in, not turned into more restarts.
func (r *runner) restart(ctx context.Context, t trigger.Trigger, triggers <-chan trigger.Trigger) verdict {
	if !t.First() {
		// What changed comes first, before a stop that may take the whole
		// grace period.
		if r.opts.Clear {
			r.opts.Log.ClearScreen()
		}
		r.opts.Log.Infof("restarting: %s", t.String())
	}
	r.stopCurrent(r.reason(t))
	more := drain(trigger.Trigger{}, triggers)
	t = t.Merge(more)
	if ctx.Err() != nil {
		return verdict{} // the loop sees ctx and returns; starting now would only be stopped again
	}
	if len(more.Paths) > 0 {
		r.opts.Log.Debugf("also changed while the app stopped: %s", listPaths(more.Paths, 50))
	}
	if r.opts.Log.Verbose() && len(t.Paths) > 1 {
		r.opts.Log.Debugf("changed: %s", listPaths(t.Paths, 50))
	}
	return r.begin(t)
}

// drain takes the triggers already waiting on the channel, without blocking
// (upstream, trigger.Coalesce has merged whatever came during the stop).
func drain(t trigger.Trigger, triggers <-chan trigger.Trigger) trigger.Trigger {
	for {
		select {
		case more, ok := <-triggers:
			if !ok {
				return t
			}
			t = t.Merge(more)
		default:
			return t
		}
	}
}

// begin starts the app for t. A start that fails is decided at once.
func (r *runner) begin(t trigger.Trigger) verdict {
	r.opts.Log.Infof("starting: %s", r.opts.Describe)
	p := r.takeWarm(t)
	var err error
	if p == nil {
		p, err = r.launch(t.Paths)
	}
	r.starts++
	if err != nil {
		e := ending{startErr: err}
		v := r.decide(e)
		r.notify(exitedEvent(0, e, "cannot start "+e.startProblem(r.opts.Describe), true, v))
		return v
	}
	r.cur = p
	r.reaper.NoteStart(p.pid)
	r.notify(Event{Kind: Started, Pid: p.pid, Paths: t.Paths,
		Reason: r.reason(t), Restarts: r.starts - 1, At: p.began, Seen: t.Seen})
	r.opts.Log.Debugf("app started (pid %d)", p.pid)
	r.armWarm()
	return verdict{}
}

// ended handles the app exiting on its own: say what happened, end whatever
// it left behind, then decide what comes next.
func (r *runner) ended() verdict {
	p := r.cur
	r.cur = nil
	e := p.ending()
	crashed := e.kind(r.opts.Foreground) != clean
	v := r.decide(e)
	r.notify(exitedEvent(p.pid, e, e.describe(), crashed, v))
	r.stop(p)
	return v
}

// stopCurrent stops the running app, if any; reason is Event.Reason's.
func (r *runner) stopCurrent(reason string) {
	if r.cur != nil {
		r.notify(Event{Kind: Stopping, Pid: r.cur.pid, Reason: reason, Uptime: time.Since(r.cur.began)})
		r.stop(r.cur)
		r.cur = nil
	}
}

func (r *runner) curPid() int {
	if r.cur == nil {
		return 0
	}
	return r.cur.pid
}
