package runner

import (
	"syscall"
	"time"
)

const (
	// maxPoll bounds the wait between checks of a group that is still
	// going: nothing signals "the group is empty", so it is polled.
	maxPoll = 50 * time.Millisecond
	// killWait bounds the wait for SIGKILLed processes; only one stuck in
	// the kernel (uninterruptible I/O) takes longer.
	killWait = 3 * time.Second
	// killRounds rescans after SIGKILL: a process forked just before the
	// kill, outside the group, would escape a single pass.
	killRounds = 3
)

// stop ends p and everything it left behind: the stop signal to its group
// and to its strays outside the group, StopTimeout for all of them to be
// gone, then SIGKILL to all. For an app that already exited it ends only the
// leftovers (usually there are none, and nothing is sent). Afterwards reload
// has the terminal back.
func (r *runner) stop(p *proc) {
	defer r.reclaimTerminal()
	leftovers := p.exited() // the app ended on its own: only what it left is stopped
	if r.graceful(p) {
		return
	}
	killed := false
	var left []stray
	for range killRounds {
		left = r.reaper.strays(p.pid)
		if p.exited() && !groupAlive(p.pid) && len(left) == 0 {
			break
		}
		killed = true
		if err := signalGroup(p.pid, syscall.SIGKILL); err != nil {
			r.opts.Log.Debugf("SIGKILL to group %d: %v", p.pid, err)
		}
		for _, s := range left {
			_ = signalPid(s.pid, syscall.SIGKILL) // gone already is fine
		}
		deadline := time.NewTimer(killWait)
		gone := r.waitGone(p, left, deadline.C, nil)
		deadline.Stop()
		if !gone {
			break
		}
		left = nil
	}
	switch {
	case !p.exited() || groupAlive(p.pid) || len(left) > 0:
		r.opts.Log.Warnf("some processes of the app (group %d) survived SIGKILL; they are stuck in the kernel", p.pid)
	case killed && killNow(r.opts.Kill):
		r.opts.Log.Debugf("app killed")
	case killed && leftovers:
		r.opts.Log.Warnf("processes the app left behind did not stop within %s; killed", round(r.opts.StopTimeout))
	case killed:
		r.opts.Log.Warnf("app did not stop within %s; killed", round(r.opts.StopTimeout))
	}
}

// graceful sends the stop signal and waits StopTimeout for the app's
// processes to go. It reports true when they all went; false means kill.
func (r *runner) graceful(p *proc) bool {
	if killNow(r.opts.Kill) {
		return false
	}
	deadline := time.NewTimer(r.opts.StopTimeout)
	defer deadline.Stop()
	signalled := map[int]bool{}
	for {
		left := r.reaper.strays(p.pid)
		groupLeft := !p.exited() || groupAlive(p.pid)
		if !groupLeft && len(left) == 0 {
			return true
		}
		if groupLeft && !signalled[-p.pid] {
			signalled[-p.pid] = true
			r.opts.Log.Debugf("stopping group %d with %s", p.pid, signalName(r.sig))
			if err := signalGroup(p.pid, r.sig); err != nil {
				r.opts.Log.Debugf("%s to group %d: %v", signalName(r.sig), p.pid, err)
			}
		}
		for _, s := range left {
			// Members of the app's group got the group signal; a second
			// one could look like "stop now" to an app that counts them.
			if s.pgid != p.pid && !signalled[s.pid] {
				signalled[s.pid] = true
				_ = signalPid(s.pid, r.sig)
			}
		}
		// Once all are gone, loop to rescan: something may have been
		// forked during the grace period.
		if !r.waitGone(p, left, deadline.C, r.opts.Kill) {
			return false
		}
	}
}

// waitGone waits until the leader, its group and strays are gone. It
// returns false when deadline fires or kill is closed first.
func (r *runner) waitGone(p *proc, strays []stray, deadline <-chan time.Time, kill <-chan struct{}) bool {
	select { // the leader's exit is an event
	case <-p.done:
	case <-deadline:
		return false
	case <-kill:
		return false
	}
	for wait := time.Millisecond; ; wait = min(2*wait, maxPoll) {
		if !r.anyAlive(p, &strays) {
			return true
		}
		select {
		case <-time.After(wait):
		case <-deadline:
			return false
		case <-kill:
			return false
		}
	}
}

// anyAlive reports whether any of the group or strays is left, reaping the
// strays that are reload's zombies (a zombie counts as alive until reaped).
func (r *runner) anyAlive(p *proc, strays *[]stray) bool {
	for _, s := range *strays {
		r.reaper.reap(s.pid)
	}
	for _, s := range *strays {
		if pidAlive(s.pid) {
			return true
		}
	}
	if !groupAlive(p.pid) {
		return false
	}
	// The group is not empty but every known stray is gone: a member
	// unknown to the last scan (forked since) may be a zombie only reload
	// can reap. Rescan so it is found.
	*strays = r.reaper.strays(p.pid)
	for _, s := range *strays {
		r.reaper.reap(s.pid)
	}
	return groupAlive(p.pid)
}

// killNow reports whether kill is closed.
func killNow(kill <-chan struct{}) bool {
	select {
	case <-kill:
		return true
	default:
		return false
	}
}

// reclaimTerminal makes reload's group the terminal's foreground group again
// after the app, which held it, ended: Ctrl+C must reach reload while it
// waits for a change.
func (r *runner) reclaimTerminal() {
	if !r.opts.Foreground {
		return
	}
	if err := takeTerminal(r.opts.Stdin); err != nil {
		r.opts.Log.Debugf("taking the terminal back: %v", err)
	}
}
