// Package procgroup is reload's one place for process groups: starting a
// command as the leader of a new group (SetGroup, Shell), signalling and
// probing groups and processes per OS, the one stop routine both the app
// and builds go through (Stop: the stop signal, a grace, then SIGKILL), and
// on Linux the child subreaper that finds what left the app's group
// (Reaper). A watchdog that ends the app's group when reload itself is
// killed outright belongs here too.
package procgroup

import (
	"syscall"
	"time"

	"github.com/reload-dev/reload/internal/signals"
	"github.com/reload-dev/reload/internal/status"
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

// stray is a process of a group's leader other than the leader, found by
// the Reaper; it may have left the group (pgid).
type stray struct{ pid, pgid int }

// StopOptions say how Stop ends a group.
type StopOptions struct {
	Signal syscall.Signal // the stop signal (0: SIGTERM)
	Grace  time.Duration  // how long the group (all of it) has after Signal before SIGKILL
	// Kill, when closed, skips what is left of Grace: SIGKILL at once.
	Kill <-chan struct{}
	// Reaper, if not nil, finds the leader's processes that left the group
	// (Linux): they get the stop signal and SIGKILL too, and Stop waits for
	// them. Only the app's stop passes it; it takes every orphan of reload.
	Reaper *Reaper
	Log    *status.Printer // debug lines (nil: none)
}

// Outcome says how Stop ended a group.
type Outcome int

const (
	Gone      Outcome = iota // everything went within the grace, or nothing was left
	Killed                   // the grace ran out and SIGKILL ended the rest
	KilledNow                // Kill was closed: SIGKILL ended the rest without waiting out the grace
	Stuck                    // something survived SIGKILL: stuck in the kernel (uninterruptible I/O)
)

func (o Outcome) String() string {
	switch o {
	case Gone:
		return "gone"
	case Killed:
		return "killed"
	case KilledNow:
		return "killed now"
	case Stuck:
		return "stuck"
	}
	return "unknown"
}

// Stop ends the group pgid, whose leader pid is pgid and whose exit closes
// exited (the one cmd.Wait returned), and everything o.Reaper finds of it:
// the stop signal to the group and to strays outside it, o.Grace for all of
// them to be gone, then SIGKILL to all, in a few rounds for what was forked
// meanwhile. For a leader that already exited it ends only the leftovers
// (usually there are none, and nothing is sent). Members that are reload's
// zombies (reparented to its subreaper) are reaped on the way. Stop returns
// when all are gone, or when SIGKILL did not end them within a bound.
func Stop(pgid int, exited <-chan struct{}, o StopOptions) Outcome {
	if o.Signal == 0 {
		o.Signal = syscall.SIGTERM
	}
	if o.Log == nil {
		o.Log = status.Discard()
	}
	s := &stopper{pgid: pgid, exited: exited, o: o}
	if s.graceful() {
		return Gone
	}
	killed := false
	var left []stray
	for range killRounds {
		left = o.Reaper.strays(pgid)
		if closed(exited) && !GroupAlive(pgid) && len(left) == 0 {
			break
		}
		killed = true
		if err := SignalGroup(pgid, syscall.SIGKILL); err != nil {
			o.Log.Debugf("SIGKILL to group %d: %v", pgid, err)
		}
		for _, st := range left {
			_ = SignalPid(st.pid, syscall.SIGKILL) // gone already is fine
		}
		deadline := time.NewTimer(killWait)
		gone := s.waitGone(left, deadline.C, nil)
		deadline.Stop()
		if !gone {
			break
		}
		left = nil
	}
	switch {
	case !closed(exited) || GroupAlive(pgid) || len(left) > 0:
		return Stuck
	case killed && closed(o.Kill):
		return KilledNow
	case killed:
		return Killed
	}
	return Gone
}

// stopper is one Stop in progress.
type stopper struct {
	pgid   int
	exited <-chan struct{}
	o      StopOptions
}

// graceful sends the stop signal and waits the grace for the group's
// processes to go. It reports true when they all went; false means kill.
func (s *stopper) graceful() bool {
	if closed(s.o.Kill) {
		return false
	}
	deadline := time.NewTimer(s.o.Grace)
	defer deadline.Stop()
	signalled := map[int]bool{}
	name := signals.Name(s.o.Signal)
	for {
		left := s.o.Reaper.strays(s.pgid)
		groupLeft := !closed(s.exited) || GroupAlive(s.pgid)
		if !groupLeft && len(left) == 0 {
			return true
		}
		if groupLeft && !signalled[-s.pgid] {
			signalled[-s.pgid] = true
			s.o.Log.Debugf("stopping group %d with %s", s.pgid, name)
			if err := SignalGroup(s.pgid, s.o.Signal); err != nil {
				s.o.Log.Debugf("%s to group %d: %v", name, s.pgid, err)
			}
		}
		for _, st := range left {
			// Members of the group got the group signal; a second one
			// could look like "stop now" to an app that counts them.
			if st.pgid != s.pgid && !signalled[st.pid] {
				signalled[st.pid] = true
				_ = SignalPid(st.pid, s.o.Signal)
			}
		}
		// Once all are gone, loop to rescan: something may have been
		// forked during the grace period.
		if !s.waitGone(left, deadline.C, s.o.Kill) {
			return false
		}
	}
}

// waitGone waits until the leader, its group and strays are gone. It
// returns false when deadline fires or kill is closed first.
func (s *stopper) waitGone(strays []stray, deadline <-chan time.Time, kill <-chan struct{}) bool {
	select { // the leader's exit is an event
	case <-s.exited:
	case <-deadline:
		return false
	case <-kill:
		return false
	}
	for wait := time.Millisecond; ; wait = min(2*wait, maxPoll) {
		if !s.anyAlive(&strays) {
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
// ones that are reload's zombies (a zombie counts as alive until reaped).
// The leader has been waited for.
func (s *stopper) anyAlive(strays *[]stray) bool {
	for _, st := range *strays {
		s.o.Reaper.reap(st.pid)
	}
	for _, st := range *strays {
		if PidAlive(st.pid) {
			return true
		}
	}
	reapGroup(s.pgid)
	if !GroupAlive(s.pgid) {
		return false
	}
	// The group is not empty but every known stray is gone: a member
	// unknown to the last scan (forked since) may be a zombie only reload
	// can reap. Rescan so it is found.
	*strays = s.o.Reaper.strays(s.pgid)
	for _, st := range *strays {
		s.o.Reaper.reap(st.pid)
	}
	return GroupAlive(s.pgid)
}

// closed reports whether c is closed (a nil c never is).
func closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
