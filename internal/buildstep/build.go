// Package build is the build step between the watcher and the runner: on
// each trigger it runs the build command while the old app keeps running,
// and passes the trigger on to the runner only when the build succeeded.
// A failed build keeps the old app; a change during a build cancels it and
// builds again. The stage never touches the app: it only decides which
// triggers reach the runner.
package buildstep

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/internal/trigger"
)

// EventKind says what happened to a build.
type EventKind int

// A build's life, as told to Options.Notify.
const (
	Building  EventKind = iota + 1 // a build started (a cancelled one is followed by another Building)
	Failed                         // a build ended with an error; the old app keeps running
	Succeeded                      // a build succeeded; its trigger goes to the runner next
)

func (k EventKind) String() string {
	switch k {
	case Building:
		return "building"
	case Failed:
		return "failed"
	case Succeeded:
		return "succeeded"
	}
	return "unknown"
}

// Event is one step of a build, for observers such as a proxy that shows
// the build error in the browser. Observers only listen: nothing they do
// changes what the stage does.
type Event struct {
	Kind   EventKind
	Status string   // Failed: how it ended, e.g. "exit status 2", or why it could not start
	Output string   // Failed: the tail of the build's output (stdout and stderr, interleaved)
	Paths  []string // the changed paths this build is for (empty on the first build)
	// Failed, Succeeded: the build's exit code; -1 when it has none (killed
	// by a signal, or it could not start).
	Code int
	Took time.Duration // Failed, Succeeded: how long the build ran
}

// Options say what to build and where.
type Options struct {
	Command string    // run through the shell (procgroup.Shell: sh -c, or cmd /C on Windows), in its own process group
	Dir     string    // working directory of the build ("": reload's own)
	Env     []string  // the build's environment (nil: reload's own)
	Output  io.Writer // where the build's output is shown as it comes, e.g. os.Stderr (nil: nowhere)
	Log     *status.Printer
	// Grace is how long a cancelled build, or what a finished one left in
	// its group, has between SIGTERM and SIGKILL (0: one second).
	Grace time.Duration
	// Notify, if set, is told each step of every build (see Event). It is
	// called on the stage's goroutine, which waits for it: it must return
	// at once (hand the event to a channel or store it), never block.
	Notify func(Event)
	// Watching is false with --no-watch: a failed first build then ends Run
	// (ErrNothingToRun), as no change will come to build again.
	Watching bool
}

// defaultGrace is short: compilers stop at once on SIGTERM, and a change
// that cancels a build is waiting for the next one.
const defaultGrace = time.Second

// ErrNothingToRun is returned by Run when the build for the first start
// failed and Options.Watching is false: no change will ever come to build
// again, so there is nothing to run.
var ErrNothingToRun = errors.New("the build failed and nothing is watched for a fix (--no-watch); nothing to run")

// Stage runs builds for triggers; Run is its loop.
type Stage struct {
	o     Options
	built bool // a build has succeeded: an app from it may be running
}

// New returns a stage for opts. An empty Command is an empty shell script,
// which succeeds at once: callers with nothing to build leave the stage out.
func New(opts Options) *Stage {
	if opts.Log == nil {
		opts.Log = status.Discard()
	}
	if opts.Output == nil {
		opts.Output = io.Discard
	}
	if opts.Grace <= 0 {
		opts.Grace = defaultGrace
	}
	return &Stage{o: opts}
}

// Run passes triggers from in to out, each after a successful build: a
// failed build passes nothing on and waits for the next trigger (the first
// start's trigger included: the first good build starts the app). It
// returns nil when ctx is done (after the running build, if any, is gone)
// or when in is closed, and ErrNothingToRun when nothing can ever start.
func (s *Stage) Run(ctx context.Context, in <-chan trigger.Trigger, out chan<- trigger.Trigger) error {
	for {
		var t trigger.Trigger
		select {
		case <-ctx.Done():
			return nil
		case next, open := <-in:
			if !open {
				return nil
			}
			t = next
		}
		t, ok := s.cycle(ctx, t, in)
		if !ok && !s.built && !s.o.Watching && ctx.Err() == nil {
			return ErrNothingToRun
		}
		if !ok {
			continue // failed (said so) or ctx done (seen at the top)
		}
		// The runner takes it at once unless it is stopping the old app;
		// changes meanwhile wait in the forwarder and build again after.
		select {
		case out <- t:
		case <-ctx.Done():
			return nil
		}
	}
}

// cycle builds for t until a build finishes. A trigger from in during a
// build cancels it and builds again for both triggers merged. It returns
// the trigger built for and whether the build succeeded.
func (s *Stage) cycle(ctx context.Context, t trigger.Trigger, in <-chan trigger.Trigger) (trigger.Trigger, bool) {
	for {
		if ctx.Err() != nil {
			return t, false
		}
		if t.First() && len(t.Paths) == 0 {
			s.o.Log.Infof("building: %s", s.o.Command)
		} else {
			s.o.Log.Infof("%s; building: %s", t, s.o.Command) // what changed first, then the build
		}
		s.notify(Event{Kind: Building, Paths: t.Paths})
		j := start(s.o)
		select {
		case <-j.done:
			return t, s.finished(j, t)
		case <-ctx.Done():
			j.cancel()
			return t, false
		case more, open := <-in:
			if !open {
				in = nil // nothing more can come; let this build finish
				<-j.done
				return t, s.finished(j, t)
			}
			s.o.Log.Infof("%s during the build: building again", more)
			j.cancel()
			t = t.Merge(more)
		}
	}
}

// finished reports a build that ended on its own and says whether it succeeded.
func (s *Stage) finished(j *job, t trigger.Trigger) bool {
	if j.ok() {
		s.built = true
		s.o.Log.Debugf("build succeeded in %s", j.took().Round(time.Millisecond))
		s.notify(Event{Kind: Succeeded, Paths: t.Paths, Took: j.took()})
		return true
	}
	if s.built {
		s.o.Log.Warnf("build failed (%s) — still running the previous build", j.short())
	} else {
		s.o.Log.Warnf("build failed (%s) — the app starts after the next good build", j.short())
	}
	s.notify(Event{Kind: Failed, Status: j.status(), Output: j.tail.String(), Paths: t.Paths, Code: j.code(), Took: j.took()})
	return false
}

func (s *Stage) notify(e Event) {
	if s.o.Notify != nil {
		s.o.Notify(e)
	}
}
