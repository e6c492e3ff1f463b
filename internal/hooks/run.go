package hooks

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/reload-dev/reload/internal/changed"

	"github.com/reload-dev/reload/internal/procgroup"
	"github.com/reload-dev/reload/internal/signals"
)

// result is how one run ended, for the loop to report.
type result struct {
	name     string
	took     time.Duration
	startErr error            // it could not start
	state    *os.ProcessState // how the shell ended, when it started
	timedOut bool             // it ran past Timeout and was stopped
	stopped  bool             // Close stopped it
}

// run runs hook name for in, in a process group of its own, and sends how
// it ended to the loop. Closing stop, or the timeout, stops the group; when
// the shell ends by itself, what it left in its group is stopped too, so
// nothing of a hook outlives it. The loop waits for the result, which is
// what makes it the owner of this goroutine.
func (r *Runner) run(name string, in Info, stop <-chan struct{}) {
	res := result{name: name}
	began := time.Now()
	cmd := procgroup.Shell(r.o.Commands[name])
	procgroup.SetGroup(cmd, false)
	cmd.Dir, cmd.Env = r.o.Dir, r.env(name, in)
	if r.o.Output != nil { // *os.File: the hook writes to it itself, no copying
		cmd.Stdout, cmd.Stderr = r.o.Output, r.o.Output
	} // stdin (and nil output) is the null device
	if err := cmd.Start(); err != nil {
		res.startErr, res.took = err, time.Since(began)
		r.results <- res
		return
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait() // the status is read from ProcessState
		close(exited)
	}()
	timeout := time.NewTimer(r.o.Timeout)
	select {
	case <-exited:
	case <-stop:
		res.stopped = true
	case <-timeout.C:
		res.timedOut = true
	}
	timeout.Stop()
	pid := cmd.Process.Pid
	procgroup.Stop(pid, exited, procgroup.StopOptions{Signal: syscall.SIGTERM, Grace: r.o.Grace, Log: r.o.Log})
	<-exited
	res.state, res.took = cmd.ProcessState, time.Since(began)
	r.results <- res
}

// report says how a run ended: one warning line for a failure or a
// timeout, a debug line otherwise.
func (r *Runner) report(res result) {
	command := r.o.Commands[res.name]
	switch {
	case res.startErr != nil:
		r.o.Log.Warnf("hook %q failed (cannot start: %v): %s", res.name, res.startErr, command)
	case res.timedOut:
		r.o.Log.Warnf("hook %q still ran after %v, so it was stopped: %s", res.name, r.o.Timeout, command)
	case res.stopped:
		r.o.Log.Debugf("hook %q stopped: reload is exiting", res.name)
	case res.state.Success():
		r.o.Log.Debugf("hook %q done in %v", res.name, res.took.Round(time.Millisecond))
	default:
		r.o.Log.Warnf("hook %q failed (%s): %s", res.name, short(res.state), command)
	}
}

// short is how a hook ended, for its status line: "exit 3", "SIGSEGV".
func short(ps *os.ProcessState) string {
	code, sig := procgroup.ExitInfo(ps)
	if sig != 0 {
		return signals.Name(sig)
	}
	return "exit " + strconv.Itoa(code)
}

// env is hook name's environment for in: the base, then every RELOAD_*
// variable, empty when it does not apply, so none is inherited from a
// reload above this one (os/exec keeps the last of a duplicated name).
// RELOAD_PID is reload's, as in the app's environment: reload's watchdog
// finds, by it, what is left of a hook if reload is killed outright.
func (r *Runner) env(name string, in Info) []string {
	base := r.o.Env
	if base == nil {
		base = os.Environ()
	}
	num := func(n int) string {
		if n < 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	code, sig := "", ""
	if in.Exited && in.Signal != "" {
		sig = in.Signal
	} else if in.Exited {
		code = strconv.Itoa(in.Code)
	}
	pid := ""
	if in.Pid > 0 {
		pid = strconv.Itoa(in.Pid)
	}
	env := make([]string, 0, len(base)+8)
	return append(append(env, base...),
		"RELOAD_EVENT="+name,
		procgroup.PidEnv+"="+strconv.Itoa(os.Getpid()),
		"RELOAD_APP_PID="+pid,
		"RELOAD_RESTARTS="+num(in.Restarts),
		"RELOAD_CHANGED="+changed.JoinPaths(in.Changed, changed.MaxEnv),
		"RELOAD_CHANGED_FILE="+r.changedFile(name, in.Changed),
		"RELOAD_EXIT_CODE="+code,
		"RELOAD_SIGNAL="+sig,
	)
}

// changedFile writes paths, each ended by a NUL byte, to hook name's file
// and returns its path; "" when it cannot. One run per hook at a time, so
// the file is the running hook's alone; it is replaced by a rename, so a
// reader sees one whole list.
func (r *Runner) changedFile(name string, paths []string) string {
	if r.changes == "" {
		return ""
	}
	file := filepath.Join(r.changes, name+".changed")
	if err := changed.WriteList(file, paths); err != nil {
		r.o.Log.Debugf("hook %q goes without RELOAD_CHANGED_FILE: %v", name, err)
		return ""
	}
	return file
}
