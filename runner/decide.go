package runner

import (
	"fmt"
	"time"
)

// decide prints how the app ended and picks what the loop does next: wait
// for a change, restart after a delay, or (not Watching) return the app's
// status. It is the one place the crash policy lives.
func (r *runner) decide(e ending) verdict {
	o, log := r.opts, r.opts.Log
	status := e.status()
	wait := func(line string) verdict {
		if !o.Watching {
			return verdict{exit: true, status: status}
		}
		if line != "" {
			log.Infof("%s", line)
		}
		return verdict{}
	}
	ran := round(e.uptime)
	switch kind := e.kind(o.Foreground); kind {
	case cannotStart, notExecutable:
		r.streak, r.crashes = 0, 0
		msg := fmt.Sprintf("cannot start %s", e.startProblem(o.Describe))
		if kind == cannotStart && o.NotFoundHint != "" {
			msg += "; " + o.NotFoundHint
		}
		log.Errorf("%s", msg)
		return wait("waiting for a change before trying again")
	case interrupted:
		return verdict{exit: true, status: 130, err: ErrInterrupted}
	case clean:
		r.crashes = 0 // a clean exit breaks a run of crashes
		if o.OnExit {
			// Docker's "always": a clean exit is not a crash, but an app
			// that keeps exiting at once backs off all the same, so a job
			// with nothing to do does not become a busy loop.
			var delay time.Duration
			r.streak, delay = r.backoff.next(r.streak, e.uptime)
			log.Infof("app exited cleanly after %s; restarting in %s", ran, round(delay))
			return verdict{restart: true, delay: delay}
		}
		r.streak = 0
		if !o.Watching {
			log.Infof("app exited cleanly after %s", ran)
		}
		return wait(fmt.Sprintf("app exited cleanly after %s; waiting for a change before restarting", ran))
	case asked:
		r.streak, r.crashes = 0, 0
		if !o.Watching {
			log.Infof("app stopped by %s after %s", signalName(e.sig), ran)
		}
		return wait(fmt.Sprintf("app stopped by %s after %s; waiting for a change before restarting", signalName(e.sig), ran))
	}

	var delay time.Duration
	r.streak, delay = r.backoff.next(r.streak, e.uptime)
	if e.uptime >= r.backoff.ResetAfter { // the rule next applies to the streak
		r.crashes = 0
	}
	r.crashes++
	what := fmt.Sprintf("app crashed: %s after %s", e.describe(), ran)
	switch {
	case !o.OnCrash && !o.Watching:
		log.Warnf("%s", what)
		return verdict{exit: true, status: status}
	case !o.OnCrash:
		log.Warnf("%s; waiting for a change before restarting", what)
		return verdict{}
	case o.Backoff.MaxCrashes > 0 && r.crashes >= o.Backoff.MaxCrashes:
		gaveUp := "gave up after 1 crash"
		if r.crashes > 1 {
			gaveUp = fmt.Sprintf("gave up after %d crashes in a row", r.crashes)
		}
		if !o.Watching {
			log.Warnf("%s; %s", what, gaveUp)
			return verdict{exit: true, status: status}
		}
		log.Warnf("%s; %s; waiting for a change", what, gaveUp)
		return verdict{}
	}
	log.Warnf("%s; restarting in %s (crash %d)", what, round(delay), r.crashes)
	return verdict{restart: true, delay: delay}
}

// round makes a duration short enough for a status line. Under a
// millisecond it keeps tenths of one: an app that dies at once should not
// read as having run "0s".
func round(d time.Duration) time.Duration {
	switch {
	case d < time.Millisecond:
		return d.Round(100 * time.Microsecond)
	case d < time.Second:
		return d.Round(time.Millisecond)
	case d < time.Minute:
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}
