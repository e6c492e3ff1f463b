package runner

import (
	"fmt"
	"time"

	"github.com/reload-dev/reload/internal/status"
)

// counters are the crash state the loop carries from one ending to the next.
// streak counts the quick endings in a row that were restarted after a delay
// (crashes, and clean exits under OnExit): it picks the delay. crashes counts
// only the crashes in a row: it is what MaxCrashes and the "(crash N)" of the
// status line count.
type counters struct {
	streak, crashes int
}

// policyOptions are the Options the crash policy reads.
type policyOptions struct {
	Watching, OnCrash, OnExit bool
	ExitOnCrash               bool    // a crash, or a command that cannot start, ends Run with its status
	Foreground                bool    // an app's SIGINT (or exit 130) is the user's Ctrl+C
	Backoff                   Backoff // with its defaults filled in
	NotFoundHint              string  // appended to "cannot start" when the command is not found
	Describe                  string  // how status lines name the command
}

// lineLevel is the status printer method a statusLine is printed with.
type lineLevel int

const (
	levelInfo lineLevel = iota
	levelWarn
	levelError
)

// statusLine is one status line the policy wants printed.
type statusLine struct {
	level lineLevel
	text  string
}

// print writes l to p at its level.
func (l statusLine) print(p *status.Printer) {
	switch l.level {
	case levelWarn:
		p.Warnf("%s", l.text)
	case levelError:
		p.Errorf("%s", l.text)
	default:
		p.Infof("%s", l.text)
	}
}

// policy is the crash policy, a pure function: given how the app ended, the
// counters so far and the options, it picks what the loop does next (wait
// for a change, restart after a delay, or, not Watching, return the app's
// status), the new counters, and the status lines to print, in order.
func policy(e ending, c counters, o policyOptions) (verdict, counters, []statusLine) {
	info := func(format string, args ...any) statusLine {
		return statusLine{levelInfo, fmt.Sprintf(format, args...)}
	}
	warn := func(format string, args ...any) statusLine {
		return statusLine{levelWarn, fmt.Sprintf(format, args...)}
	}
	exit := verdict{exit: true, status: e.status()}
	ran := round(e.uptime)
	switch kind := e.kind(o.Foreground); kind {
	case cannotStart, notExecutable:
		msg := fmt.Sprintf("cannot start %s", e.startProblem(o.Describe))
		if kind == cannotStart && o.NotFoundHint != "" {
			msg += "; " + o.NotFoundHint
		}
		lines := []statusLine{{levelError, msg}}
		if !o.Watching || o.ExitOnCrash {
			return exit, counters{}, lines
		}
		return verdict{}, counters{}, append(lines, info("waiting for a change before trying again"))
	case interrupted:
		return verdict{exit: true, status: 130, err: ErrInterrupted}, c, nil
	case clean:
		c.crashes = 0 // a clean exit breaks a run of crashes
		if o.OnExit {
			// Docker's "always": a clean exit is not a crash, but an app
			// that keeps exiting at once backs off all the same, so a job
			// with nothing to do does not become a busy loop.
			var delay time.Duration
			c.streak, delay = o.Backoff.next(c.streak, e.uptime)
			return verdict{restart: true, delay: delay}, c,
				[]statusLine{info("app exited cleanly after %s; restarting in %s", ran, round(delay))}
		}
		if !o.Watching {
			return exit, counters{}, []statusLine{info("app exited cleanly after %s", ran)}
		}
		return verdict{}, counters{},
			[]statusLine{info("app exited cleanly after %s; waiting for a change before restarting", ran)}
	case asked:
		what := fmt.Sprintf("app stopped by %s after %s", signalName(e.sig), ran)
		if !o.Watching {
			return exit, counters{}, []statusLine{info("%s", what)}
		}
		return verdict{}, counters{}, []statusLine{info("%s; waiting for a change before restarting", what)}
	}

	var delay time.Duration
	c.streak, delay = o.Backoff.next(c.streak, e.uptime)
	if e.uptime >= o.Backoff.ResetAfter { // the rule next applies to the streak
		c.crashes = 0
	}
	c.crashes++
	what := fmt.Sprintf("app crashed: %s after %s", e.describe(), ran)
	if e.startErr != nil { // a transient failure to start (see isTransient)
		what = "app could not start: " + e.startProblem(o.Describe)
	}
	switch {
	case o.ExitOnCrash:
		return exit, c, []statusLine{warn("%s; exiting (exit_on_crash)", what)}
	case !o.OnCrash && !o.Watching:
		return exit, c, []statusLine{warn("%s", what)}
	case !o.OnCrash:
		return verdict{}, c, []statusLine{warn("%s; waiting for a change before restarting", what)}
	case o.Backoff.MaxCrashes > 0 && c.crashes >= o.Backoff.MaxCrashes:
		gaveUp := "gave up after 1 crash"
		if c.crashes > 1 {
			gaveUp = fmt.Sprintf("gave up after %d crashes in a row", c.crashes)
		}
		if !o.Watching {
			return exit, c, []statusLine{warn("%s; %s", what, gaveUp)}
		}
		return verdict{}, c, []statusLine{warn("%s; %s; waiting for a change", what, gaveUp)}
	}
	return verdict{restart: true, delay: delay}, c,
		[]statusLine{warn("%s; restarting in %s (crash %d)", what, round(delay), c.crashes)}
}
