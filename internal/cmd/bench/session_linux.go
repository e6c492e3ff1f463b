//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// pollEvery is how often the bench reads the start log while it waits.
const pollEvery = 2 * time.Millisecond

// launchSpec is one tool's command line.
type launchSpec struct {
	Argv   []string
	Dir    string
	Env    []string // added to the bench's environment
	Marker string   // an output line that means "watching is set up"; "" for none

	// Set by the caller, not the tool: where and how starts are logged.
	startLog string
	appTimed bool          // see startLog
	shift    time.Duration // see startLog
}

// session is one launched tool, in its own process group.
type session struct {
	cmd      *exec.Cmd
	pid      int
	launched time.Time
	starts   *startLog
	out      *output
	done     chan struct{} // closed once Wait returned
}

// launch starts the tool, its output going to logPath (and timestamped).
func launch(spec launchSpec, logPath string) (*session, error) {
	starts, err := openStartLog(spec.startLog, spec.appTimed, spec.shift)
	if err != nil {
		return nil, err
	}
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	out := &output{file: f, marker: spec.Marker}
	cmd := exec.Command(spec.Argv[0], spec.Argv[1:]...)
	cmd.Dir = spec.Dir
	cmd.Env = append(os.Environ(), spec.Env...)
	cmd.Stdout, cmd.Stderr = out, out // one pipe, one writer
	cmd.WaitDelay = 2 * time.Second   // an app that keeps the pipe open must not hang Wait
	s := &session{cmd: cmd, starts: starts, out: out, done: make(chan struct{})}
	s.launched = time.Now()
	if err := startGroup(cmd); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", spec.Argv[0], err)
	}
	s.pid = cmd.Process.Pid
	go func() {
		_ = cmd.Wait()
		f.Close()
		close(s.done)
	}()
	return s, nil
}

// exited reports whether the tool has exited.
func (s *session) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// waitStarts waits until the app has started n times in this session.
func (s *session) waitStarts(ctx context.Context, n int, within time.Duration) (appStart, error) {
	deadline := time.Now().Add(within)
	for {
		got, err := s.starts.poll()
		if err != nil {
			return appStart{}, err
		}
		if got >= n {
			return s.starts.starts[n-1], nil
		}
		if err := s.check(ctx, deadline, fmt.Sprintf("app start #%d", n), within); err != nil {
			return appStart{}, err
		}
		time.Sleep(pollEvery)
	}
}

// settle waits until no app has started for quiet (at most max in all)
// and returns the number of starts so far.
func (s *session) settle(ctx context.Context, quiet, max time.Duration) (int, error) {
	deadline := time.Now().Add(max)
	n, err := s.starts.poll()
	last := time.Now()
	for err == nil {
		if time.Since(last) >= quiet {
			return n, nil
		}
		if err := s.check(ctx, deadline, "starts to settle", max); err != nil {
			return n, err
		}
		time.Sleep(pollEvery)
		var m int
		if m, err = s.starts.poll(); m != n {
			n, last = m, time.Now()
		}
	}
	return n, err
}

// check fails when the bench is interrupted, the tool died or time is up.
func (s *session) check(ctx context.Context, deadline time.Time, what string, within time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.exited() {
		return fmt.Errorf("tool exited (%v) waiting for %s; last output: %s", s.cmd.ProcessState, what, s.out.lastLines(3))
	}
	if time.Now().After(deadline) {
		return fmt.Errorf("no %s within %v; last output: %s", what, within, s.out.lastLines(3))
	}
	return nil
}

// stop asks the tool's group to stop (SIGTERM, as Ctrl+C would), then
// kills the group, then every process the tool left behind (see
// reapLeftovers). It returns how long the tool took to exit after SIGTERM.
func (s *session) stop() time.Duration {
	took := s.stopGroup()
	reapLeftovers()
	return took
}

// stopGroup is stop without the reaping, for when other tools run beside
// this one: reapLeftovers would take them for leftovers.
func (s *session) stopGroup() time.Duration {
	t0 := time.Now()
	_ = signalGroup(s.pid, syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
	}
	took := time.Since(t0)
	_ = signalGroup(s.pid, syscall.SIGKILL)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
	}
	return took
}

// output timestamps the tool's output as it arrives, keeps its tail and
// copies it to a log file.
type output struct {
	mu      sync.Mutex
	file    *os.File
	partial []byte
	marker  string
	markAt  time.Time
	tail    []string
}

func (o *output) Write(p []byte) (int, error) {
	now := time.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	_, _ = o.file.Write(p)
	o.partial = append(o.partial, p...)
	for {
		i := bytes.IndexByte(o.partial, '\n')
		if i < 0 {
			break
		}
		line := string(o.partial[:i])
		o.partial = o.partial[i+1:]
		if o.marker != "" && o.markAt.IsZero() && strings.Contains(line, o.marker) {
			o.markAt = now
		}
		if o.tail = append(o.tail, line); len(o.tail) > 40 {
			o.tail = o.tail[1:]
		}
	}
	return len(p), nil
}

// marked is when the marker line arrived (zero if it has not).
func (o *output) marked() time.Time {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.markAt
}

// lastLines joins the last n lines of output, for error messages.
func (o *output) lastLines(n int) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	t := o.tail[max(0, len(o.tail)-n):]
	if len(t) == 0 {
		return "(none)"
	}
	return strings.Join(t, " | ")
}

// write changes a file's content, as an editor's save would.
func write(path string, n int) error {
	return os.WriteFile(path, fmt.Appendf(nil, "// %d\n", n), 0o644)
}

// liveSet is every session running now, for a second Ctrl+C to kill.
type liveSet struct {
	mu sync.Mutex
	m  map[*session]bool
}

func (l *liveSet) add(s *session) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[*session]bool{}
	}
	l.m[s] = true
}

func (l *liveSet) remove(s *session) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.m, s)
}

// kill SIGKILLs the group of every live session.
func (l *liveSet) kill() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for s := range l.m {
		_ = signalGroup(s.pid, syscall.SIGKILL)
	}
}
