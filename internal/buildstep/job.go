package buildstep

import (
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/reload-dev/reload/internal/procgroup"
)

// drainWait bounds the wait for the output pipe to close once the build's
// group is gone: only a process that left the group (setsid) can still
// hold it, and the build is over without it.
const drainWait = 500 * time.Millisecond

// job is one run of the build command, in its own process group. One
// goroutine owns the group: it waits for the leader to exit or for cancel,
// stops what is left, and closes done once the leader, every process left
// in its group, and its output are finished.
type job struct {
	pid   int // the leader, also the group id; 0 if it could not start
	began time.Time
	tail  *tail
	done  chan struct{}
	stop  chan struct{} // closed by cancel: stop the whole group now

	// Written before done is closed; read only after.
	ended    time.Time
	startErr error
	state    *os.ProcessState
}

// start runs the build. It never fails: a build that cannot start is a
// job that is already done, with startErr set.
func start(o Options) *job {
	j := &job{began: time.Now(), tail: newTail(), done: make(chan struct{}), stop: make(chan struct{})}
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
	cmd := procgroup.Shell(o.Command)
	procgroup.SetGroup(cmd, false)
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
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait() // the status is read from ProcessState
		j.state, j.ended = cmd.ProcessState, time.Now()
		close(exited)
	}()
	go func() {
		select {
		case <-exited:
		case <-j.stop:
		}
		// A build's stragglers would hold its output open and, on Linux,
		// look like the app's processes to the runner: they are stopped
		// like a cancelled build.
		procgroup.Stop(j.pid, exited, procgroup.StopOptions{Signal: syscall.SIGTERM, Grace: o.Grace, Log: o.Log})
		<-exited
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

// cancel stops the build: SIGTERM to its group, the grace, then SIGKILL. It
// returns once the build and its group are gone. Call it at most once.
func (j *job) cancel() {
	close(j.stop)
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
