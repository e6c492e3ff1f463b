//go:build linux

package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"
)

// options are the bench's knobs (see the flags in main_linux.go).
type options struct {
	Runs, Trials, Burst int
	Idle, Touch, Settle time.Duration
	Timeout             time.Duration // the longest any one wait may take
	Delay               time.Duration

	// The save → served measurement (served_linux.go).
	Saves, Storm  int
	Every         time.Duration // between two requests of the client
	ServedSettle  time.Duration // no app start for this long ends a save
	ServedTimeout time.Duration // a save not served within this is missed
}

// runResult is what one launch of one tool measured. A field is left at
// its zero value, and its ok flag false, when the run failed before it.
type runResult struct {
	Ready      time.Duration // launch → the app start caused by touching the deepest file
	FirstStart time.Duration // launch → the first app start
	Watching   time.Duration // launch → the tool's "watching" line; 0 if it has none
	HWMKB      int64         // VmHWM right after Ready: the peak while setting up
	IdleRSSKB  int64
	IdleCPU    time.Duration
	IdleStarts int             // app starts during the idle window (should be 0)
	Delay      time.Duration   // the tool's quiet period (its own when fixed)
	Latency    []time.Duration // the tool exec'd node − write − delay, per trial
	Extra      int             // app starts beyond one per latency trial
	Burst      int             // app starts caused by the burst
	BurstAfter time.Duration   // writes ended → first start, beyond delay
	BurstWrite time.Duration   // how long writing the burst took
	BurstGap   time.Duration   // the longest time one write of the burst took
	Sentinel   int             // app starts caused by the sentinel (should be 1)
	Stop       time.Duration   // SIGTERM → the tool exited
	AnonKB     int64           // idle RSS that is anonymous memory (heap, stacks)
	FileKB     int64           // idle RSS that is file-backed (the binary's and libraries' pages)
	BurstNA    bool            // the tool watches only what the app loads: no burst
	Helpers    int             // the tool's processes besides itself and the app, idle
	HelpersKB  int64           // their RSS

	// Which groups of fields above were measured.
	ReadyOK, IdleOK, BurstOK, SentinelOK bool

	Err error // why the run stopped early, naming the step
}

// runOnce launches t on the tree, measures everything in turn, and stops it.
func runOnce(ctx context.Context, t tool, ws workspace, opt options, logPath string, live *liveSet) (r runResult) {
	spec, err := t.spec(ws)
	if err != nil {
		r.Err = err
		return r
	}
	spec.Env = append(spec.Env, ws.Env...)
	spec.startLog, spec.appTimed, spec.shift = ws.StartLog, t.AppTimed, ws.Shift
	r.Delay = t.delay(ws)
	s, err := launch(spec, logPath)
	if err != nil {
		r.Err = err
		return r
	}
	live.add(s)
	defer func() {
		r.Stop = s.stop()
		live.remove(s)
	}()
	steps := []struct {
		name string
		fn   func(context.Context, *session, tool, workspace, options, *runResult) error
	}{
		{"ready", measureReady},
		{"idle", measureIdle},
		{"latency", measureLatency},
		{"burst", measureBurst},
	}
	for _, st := range steps {
		if r.Err = st.fn(ctx, s, t, ws, opt, &r); r.Err != nil {
			r.Err = fmt.Errorf("%s: %w", st.name, r.Err)
			return r
		}
	}
	return r
}

// measureReady is the reference method: from launch, write the
// deepest file every opt.Touch until the app restarts. For a tool whose
// delay is not well below that, every 2 delays: each write would push its
// quiet period back, and it would never restart. Once the first app is
// gone the restart is under way and the writes pause (for 5 s): a write
// then could stop the new app while node boots, before it logs its start,
// and a tool timed by the app's own line would seem never to restart.
func measureReady(ctx context.Context, s *session, _ tool, ws workspace, opt options, r *runResult) error {
	deep := filepath.Join(ws.Tree.Root, ws.Tree.Deepest)
	deadline := time.Now().Add(opt.Timeout)
	touch := max(opt.Touch, 2*r.Delay)
	next := s.launched
	var goneAt time.Time
	for k := 0; ; {
		n, err := s.starts.poll()
		if err != nil {
			return err
		}
		if n >= 2 {
			break
		}
		if n == 1 && goneAt.IsZero() && gone(s.starts.starts[0].PID) {
			goneAt = time.Now()
		}
		paused := !goneAt.IsZero() && time.Since(goneAt) < 5*time.Second
		if !paused && time.Now().After(next) {
			if err := write(deep, k); err != nil {
				return err
			}
			k++
			next = next.Add(touch)
		}
		if err := s.check(ctx, deadline, "restart after writing the deepest file", opt.Timeout); err != nil {
			return err
		}
		time.Sleep(pollEvery)
	}
	r.FirstStart = s.starts.starts[0].Exec.Sub(s.launched)
	r.Ready = s.starts.starts[1].Exec.Sub(s.launched)
	if m := s.out.marked(); !m.IsZero() {
		r.Watching = m.Sub(s.launched)
	}
	_, hwm, err := memory(s.pid)
	r.HWMKB = hwm
	r.ReadyOK = err == nil
	return err
}

// measureIdle lets the restarts from the touches settle, then samples the
// tool's CPU time and RSS over opt.Idle while nothing changes.
func measureIdle(ctx context.Context, s *session, _ tool, _ workspace, opt options, r *runResult) error {
	n0, err := s.settle(ctx, opt.Settle, opt.Timeout)
	if err != nil {
		return err
	}
	st0, err := readStat(s.pid)
	if err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-s.done:
		return fmt.Errorf("tool exited while idle; last output: %s", s.out.lastLines(3))
	case <-time.After(opt.Idle):
	}
	st1, err := readStat(s.pid)
	if err != nil {
		return err
	}
	r.IdleCPU = st1.cpu - st0.cpu
	if r.IdleRSSKB, _, err = memory(s.pid); err != nil {
		return err
	}
	if r.AnonKB, r.FileKB, err = rssSplit(s.pid); err != nil {
		return err
	}
	if n := len(s.starts.starts); n > 0 {
		for _, pid := range helpers(s.pid, s.starts.starts[n-1].PID) {
			if rss, _, err := memory(pid); err == nil {
				r.Helpers, r.HelpersKB = r.Helpers+1, r.HelpersKB+rss
			}
		}
	}
	n1, err := s.starts.poll()
	r.IdleStarts = n1 - n0
	r.IdleOK = err == nil
	return err
}

// measureLatency writes one shallow file per trial and takes, for the app
// start it causes, the time from the write to the tool's exec of node, less
// the tool's delay: node's own start-up is the app's, not the tool's.
func measureLatency(ctx context.Context, s *session, _ tool, ws workspace, opt options, r *runResult) error {
	for i, f := range ws.Tree.Probes[:min(opt.Trials, len(ws.Tree.Probes))] {
		n, err := s.starts.poll()
		if err != nil {
			return err
		}
		t0 := time.Now()
		if err := write(filepath.Join(ws.Tree.Root, f), 1000+i); err != nil {
			return err
		}
		st, err := s.waitStarts(ctx, n+1, opt.Timeout)
		if err != nil {
			return err
		}
		r.Latency = append(r.Latency, st.Exec.Sub(t0)-r.Delay)
		m, err := s.settle(ctx, 500*time.Millisecond, opt.Timeout)
		if err != nil {
			return err
		}
		r.Extra += m - (n + 1)
	}
	return nil
}

// measureBurst writes opt.Burst files as fast as it can and counts the app
// starts until they settle, then writes one sentinel file and counts again:
// the sentinel must make exactly one start, proving the watcher survived.
// A tool that watches only what the app loads has nothing to do with the
// burst's files: it is skipped.
func measureBurst(ctx context.Context, s *session, t tool, ws workspace, opt options, r *runResult) error {
	if t.ImportsOnly {
		r.BurstNA = true
		return nil
	}
	n0, err := s.starts.poll()
	if err != nil {
		return err
	}
	t0 := time.Now()
	prev := t0
	for i, f := range ws.Tree.Burst[:min(opt.Burst, len(ws.Tree.Burst))] {
		if err := write(filepath.Join(ws.Tree.Root, f), 2000+i); err != nil {
			return err
		}
		now := time.Now()
		r.BurstGap = max(r.BurstGap, now.Sub(prev))
		prev = now
	}
	end := prev
	r.BurstWrite = end.Sub(t0)
	first, err := s.waitStarts(ctx, n0+1, opt.Timeout)
	if err != nil {
		return err
	}
	r.BurstAfter = first.Exec.Sub(end) - r.Delay
	n1, err := s.settle(ctx, opt.Settle, opt.Timeout)
	if err != nil {
		return err
	}
	r.Burst, r.BurstOK = n1-n0, true
	if err := write(filepath.Join(ws.Tree.Root, ws.Tree.Sentinel), 3); err != nil {
		return err
	}
	if _, err := s.waitStarts(ctx, n1+1, opt.Timeout); err != nil {
		return fmt.Errorf("sentinel: %w", err)
	}
	n2, err := s.settle(ctx, opt.Settle, opt.Timeout)
	r.Sentinel, r.SentinelOK = n2-n1, err == nil
	return err
}

// shimTiming is the node shim run directly on index.js, per start.
type shimTiming struct {
	Stamp  []time.Duration // exec → the shim's timestamp (in every shim-timed figure)
	Boot   []time.Duration // the shim's timestamp → the app's first line (in none)
	Origin []time.Duration // the shim's timestamp → node's performance.timeOrigin
}

// shimStart runs the node shim on index.js directly n times.
func shimStart(ctx context.Context, ws workspace, n int, logPath string) (shimTiming, error) {
	var t shimTiming
	for range n {
		spec := launchSpec{Argv: []string{filepath.Join(ws.ShimDir, "node"), "index.js"}, Dir: ws.Tree.Root, Env: ws.Env, startLog: ws.StartLog}
		s, err := launch(spec, logPath)
		if err != nil {
			return t, err
		}
		st, err := s.waitStarts(ctx, 1, 30*time.Second)
		var script time.Time
		for deadline := time.Now().Add(30 * time.Second); err == nil; {
			if script = s.starts.script[st.PID]; !script.IsZero() {
				break
			}
			if err = s.check(ctx, deadline, "the app's start line", 30*time.Second); err == nil {
				time.Sleep(pollEvery)
				_, err = s.starts.poll()
			}
		}
		s.stop()
		if err != nil {
			return t, err
		}
		t.Stamp = append(t.Stamp, st.Exec.Sub(s.launched))
		t.Boot = append(t.Boot, script.Sub(st.Exec))
		t.Origin = append(t.Origin, s.starts.origin[st.PID].Sub(st.Exec))
	}
	return t, nil
}
