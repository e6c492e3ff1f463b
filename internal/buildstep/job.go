package buildstep

import (
	"fmt"
	"io"
	"os"
	"time"
)

const (
	// killWait bounds the wait for SIGKILLed processes; only one stuck in
	// the kernel (uninterruptible I/O) takes longer.
	killWait = 3 * time.Second
	// drainWait bounds the wait for the output pipe to close once the
	// build's group is gone: only a process that left the group (setsid)
	// can still hold it, and the build is over without it.
	drainWait = 500 * time.Millisecond
	// maxPoll bounds the wait between checks of a group that is still
	// going: nothing signals "the group is empty", so it is polled.
	maxPoll = 50 * time.Millisecond
)

// job is one run of the build command, in its own process group. One
// goroutine waits for it and cleans up; done is closed once the leader,
// every process left in its group, and its output are finished.
type job struct {
	pid       int // the leader, also the group id; 0 if it could not start
	began     time.Time
	tail      *tail
	done      chan struct{}
	cancelled chan struct{} // closed by cancel: the group already had SIGTERM

	// Written before done is closed; read only after.
	ended    time.Time
	startErr error
	state    *os.ProcessState
}

// start runs the build. It never fails: a build that cannot start is a
// job that is already done, with startErr set.
func start(o Options) *job {
	j := &job{began: time.Now(), tail: newTail(), done: make(chan struct{}), cancelled: make(chan struct{})}
	fail := func(err error) *job {
		j.startErr, j.ended = err, time.Now()
		close(j.done)
		return j
	}
	// One pipe for stdout and stderr keeps them in the order the build
	// wrote them, on screen and in the tail.
	r, w, err := os.Pipe()
	if err != nil {
		return fail(err)
	}
	cmd := shellCommand(o.Command)
	cmd.Dir, cmd.Env = o.Dir, o.Env
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return fail(err)
	}
	w.Close() // the build's processes hold the only write ends: EOF once they are all gone
	j.pid = cmd.Process.Pid
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		_, _ = io.Copy(tee{o.Output, j.tail}, r)
	}()
	go func() {
		_ = cmd.Wait() // the status is read from ProcessState
		j.state, j.ended = cmd.ProcessState, time.Now()
		j.endGroup(o.Grace)
		select {
		case <-copied:
		case <-time.After(drainWait):
			// Something outside the group holds the pipe: stop reading.
			if r.SetReadDeadline(time.Now()) != nil {
				r.Close()
			}
			<-copied
		}
		r.Close()
		close(j.done)
	}()
	return j
}

// endGroup ends whatever the build left in its group after its leader
// exited: a build's stragglers would hold its output open and, on Linux,
// look like the app's processes to the runner. They get SIGTERM (unless a
// cancel sent it already), grace, then SIGKILL.
func (j *job) endGroup(grace time.Duration) {
	if !groupAlive(j.pid) {
		return
	}
	select {
	case <-j.cancelled:
	default:
		_ = signalGroup(j.pid, false)
	}
	if waitEmpty(j.pid, grace) {
		return
	}
	_ = signalGroup(j.pid, true)
	waitEmpty(j.pid, killWait)
}

// waitEmpty waits until no process is left in group pgid, reaping the
// members that were reparented to reload. It reports false on timeout.
func waitEmpty(pgid int, within time.Duration) bool {
	deadline := time.Now().Add(within)
	for wait := time.Millisecond; ; wait = min(2*wait, maxPoll) {
		reapGroup(pgid)
		if !groupAlive(pgid) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(wait)
	}
}

// cancel stops the build: SIGTERM to its group, grace, then SIGKILL. It
// returns once the build and its group are gone. Call it at most once.
func (j *job) cancel(grace time.Duration) {
	select {
	case <-j.done:
		return
	default:
	}
	close(j.cancelled)
	_ = signalGroup(j.pid, false)
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-j.done:
		return
	case <-t.C:
	}
	_ = signalGroup(j.pid, true)
	<-j.done
}

// ok reports whether the build succeeded; call it after done.
func (j *job) ok() bool { return j.startErr == nil && j.state != nil && j.state.Success() }

// took is how long the build ran; call it after done.
func (j *job) took() time.Duration { return j.ended.Sub(j.began) }

// status says how the build ended, like "exit status 2"; call it after done.
func (j *job) status() string {
	switch {
	case j.startErr != nil:
		return "cannot start: " + j.startErr.Error()
	case j.state == nil:
		return "unknown status"
	}
	return j.state.String()
}

// code is the build's exit code, -1 if it has none; call it after done.
func (j *job) code() int {
	if j.startErr != nil || j.state == nil {
		return -1
	}
	return j.state.ExitCode() // -1 when killed by a signal
}

// short is status for a status line: "exit 2", "signal: killed".
func (j *job) short() string {
	if j.startErr == nil && j.state != nil && j.state.ExitCode() >= 0 {
		return fmt.Sprintf("exit %d", j.state.ExitCode())
	}
	return j.status()
}

// tee shows the build's output and keeps its tail. Showing it must not
// stop the build: a write error (stderr closed) is ignored.
type tee struct {
	show io.Writer
	keep *tail
}

func (t tee) Write(p []byte) (int, error) {
	t.keep.Write(p)
	_, _ = t.show.Write(p)
	return len(p), nil
}
