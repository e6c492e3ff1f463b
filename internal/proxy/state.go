package proxy

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"
)

// phase is what the proxy does with a request now.
type phase int

const (
	holding phase = iota // stopping, building or starting: requests wait
	up                   // the app accepts connections: requests go through
	failed               // crashed, exited or its build failed: the error page
)

// state is what the proxy knows of the app. A copy is a snapshot: its
// slices are never changed in place, and changed is closed (and replaced)
// on the next update, which is how waiters learn of it.
type state struct {
	phase  phase
	gen    string // the app instance that answers now: one per time it came up
	ups    int    // times the app came up; gen's counter
	fails  int    // failures so far, to name each error page apart
	what   string // failed: "crashed", "exited" or "build failed"
	status string // failed: "exit status 1", "SIGSEGV", …
	output string // build failed: the tail of its output
	paths  []string
	// fresh: since the last failure, the app came up, or reload (re)started
	// it for a reason of its own (a change, a build, a restart); a failure
	// after that is news for open pages. A crash-restart attempt that fails
	// again is not: the page already shows the app down.
	fresh   bool
	changed chan struct{}
}

// view names what a page served now shows. A page knows the view it was
// served in; when the view moves on (the app is back, or it failed), the
// page's script reloads it. Holding keeps the last view: nothing to show yet.
func (st state) view() string {
	if st.phase == failed {
		return st.gen + "~" + strconv.Itoa(st.fails)
	}
	return st.gen
}

func (s *Server) token(n int) string { return s.boot + "." + strconv.Itoa(n) }

// snapshot returns the current state.
func (s *Server) snapshot() state {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

// update changes the state under the lock and wakes every waiter.
func (s *Server) update(f func(*state)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updateLocked(f)
}

// updateLocked is update with s.mu held. Every event stops the readiness
// probe: whatever it was waiting for is moot now.
func (s *Server) updateLocked(f func(*state)) {
	s.stopProbe()
	s.seq++
	f(&s.st)
	if s.st.phase != up {
		// Connections kept open to the old app would fail the next request.
		s.conns.CloseIdleConnections()
	}
	close(s.st.changed)
	s.st.changed = make(chan struct{})
}

// AppStopping: reload is stopping the app; requests wait for the next one.
func (s *Server) AppStopping() {
	s.update(func(st *state) { st.phase, st.fresh = holding, true })
}

// AppStarted: a new app process runs, started for the changed paths.
// Requests keep waiting until it accepts connections.
func (s *Server) AppStarted(paths []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updateLocked(func(st *state) {
		if len(paths) > 0 || st.phase != failed { // a crash restart keeps the paths that led to the crash
			st.paths = paths
		}
		st.phase, st.fresh = holding, st.fresh || len(paths) > 0
	})
	if s.closed {
		return
	}
	ctx, cancel := context.WithCancel(s.base)
	s.stopP = cancel
	seq := s.seq // only this start's probe may mark the app up
	expect := s.upAfter
	s.probes.Add(1)
	go func() {
		defer s.probes.Done()
		defer cancel()
		if took, ok := s.probe(ctx, expect); ok {
			s.ready(seq, took)
		}
	}()
}

// AppExited: the app ended on its own. crashed tells a crash (or a command
// that could not start) from a clean exit; both get the error page. Open
// pages reload into it once when the app goes down, not on every attempt
// of a crash loop (--on-crash).
func (s *Server) AppExited(status string, crashed bool) {
	what := "exited"
	if crashed {
		what = "crashed"
	}
	s.mu.Lock()
	s.updateLocked(func(st *state) { st.fail(what, status, "") })
	// An app that crashes before it ever listened may have failed to take
	// the port the proxy holds (--proxy with its ports swapped): ask, once.
	hint := crashed && s.st.ups == 0 && !s.hinted
	s.hinted = s.hinted || hint
	s.mu.Unlock()
	if hint {
		s.opts.Log.Warnf("proxy: nothing accepted connections on %s before the app crashed: %s", s.opts.Target, s.portHint())
	}
}

// portHint asks whether the app wanted the proxy's port, in one line.
func (s *Server) portHint() string {
	_, listen, _ := net.SplitHostPort(s.ln.Addr().String())
	_, target, _ := net.SplitHostPort(s.opts.Target)
	return fmt.Sprintf("is the app's port the proxy's? --proxy LISTEN:TARGET — listen is where you browse (%s), target is where the app listens (%s)", listen, target)
}

// fail moves st to failed; the view moves on only for news (see fresh).
func (st *state) fail(what, status, output string) {
	if st.fresh || st.what != what {
		st.fails++
	}
	st.phase, st.what, st.status, st.output, st.fresh = failed, what, status, output, false
}

// BuildStarted: a build runs; requests wait for the app it will start.
func (s *Server) BuildStarted(paths []string) {
	s.update(func(st *state) {
		st.phase, st.paths, st.fresh = holding, paths, true
	})
}

// BuildFailed: the build failed (the old app, if any, keeps running, but
// the page says the code does not build).
func (s *Server) BuildFailed(status, output string, paths []string) {
	s.update(func(st *state) {
		st.paths = paths
		st.fail("build failed", status, output)
	})
}

// ready marks the app up, if no event came since the probe began. took is
// how long this start took to accept connections.
func (s *Server) ready(seq int, took time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seq != seq {
		return
	}
	s.upAfter = took
	s.updateLocked(func(st *state) {
		st.ups++
		st.phase, st.gen, st.fresh = up, s.token(st.ups), true
	})
	s.opts.Log.Debugf("proxy: the app accepts connections on %s; open pages reload", s.opts.Target)
}

// stopProbe cancels the running probe; s.mu is held.
func (s *Server) stopProbe() {
	if s.stopP != nil {
		s.stopP()
		s.stopP = nil
	}
}

// shutdownError answers requests held when reload stops.
type shutdownError struct{}

func (shutdownError) Error() string { return "reload is shutting down" }

// await holds until the app is up or failed, or deadline passes (then it
// returns the state as it is, still holding).
func (s *Server) await(ctx context.Context, deadline time.Time) (state, error) {
	var timeout <-chan time.Time
	for {
		st := s.snapshot()
		if st.phase != holding {
			return st, nil
		}
		if timeout == nil {
			d := time.Until(deadline)
			if d <= 0 {
				return st, nil
			}
			t := time.NewTimer(d)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-st.changed:
		case <-timeout:
			return s.snapshot(), nil
		case <-ctx.Done():
			if s.base.Err() != nil {
				return st, shutdownError{}
			}
			return st, ctx.Err()
		}
	}
}
