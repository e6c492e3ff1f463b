package runner

import "time"

// decide runs the crash policy for how the app ended, on the loop's
// goroutine: it keeps the new counters, prints the policy's lines, and
// returns the verdict for the loop.
func (r *runner) decide(e ending) verdict {
	o := r.opts
	v, c, lines := policy(e, counters{r.streak, r.crashes}, policyOptions{
		Watching:     o.Watching,
		OnCrash:      o.OnCrash,
		OnExit:       o.OnExit,
		ExitOnCrash:  o.ExitOnCrash,
		Foreground:   o.Foreground,
		Backoff:      r.backoff,
		NotFoundHint: o.NotFoundHint,
		Describe:     o.Describe,
	})
	r.streak, r.crashes = c.streak, c.crashes
	for _, l := range lines {
		l.print(o.Log)
	}
	return v
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
