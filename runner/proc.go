package runner

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/reload-dev/reload/internal/changed"

	"github.com/reload-dev/reload/internal/procgroup"
	"github.com/reload-dev/reload/internal/warm"
)

// proc is one run of the app. Its leader's pid is also its process group id.
type proc struct {
	pid   int
	began time.Time
	done  chan struct{} // closed once cmd.Wait returned; then ended and state are set

	ended time.Time
	state *os.ProcessState // nil if Wait failed without a status

	// A process started ahead (--warm) waits at gate, with the environment
	// env, until it becomes the app; both are nil for the app itself.
	gate *warm.Gate
	env  []string
}

// launch starts the app for a start caused by changed (nil on the first
// start and for crash restarts).
func (r *runner) launch(changed []string) (*proc, error) {
	o := r.opts
	if err := checkDir(o.Dir); err != nil {
		return nil, err
	}
	var cmd *exec.Cmd
	if o.Shell != "" {
		cmd = procgroup.Shell(o.Shell)
	} else {
		cmd = exec.Command(o.Argv[0], o.Argv[1:]...)
	}
	cmd.Env = withChanges(appEnv(o.Env, r.starts, changed), r.changes.write(changed), changed)
	p, err := r.spawn(cmd, o.Foreground)
	if err != nil {
		return nil, err
	}
	o.Watchdog.Guard(p.pid)
	return p, nil
}

// checkDir checks the app's working directory, if set: a failed chdir in
// the child comes back as "fork/exec <argv0>: no such file or directory",
// which reads as a missing command.
func checkDir(dir string) error {
	if dir == "" {
		return nil
	}
	if fi, err := os.Stat(dir); err != nil {
		return fmt.Errorf("working directory: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("working directory %s is not a directory", dir)
	}
	return nil
}

// spawn starts cmd (its Env set; ExtraFiles too, for a warm start) as the
// leader of a new process group, with the app's folder and files.
func (r *runner) spawn(cmd *exec.Cmd, foreground bool) (*proc, error) {
	o := r.opts
	cmd.Dir = o.Dir
	// The app gets the files themselves: no copy goroutines, and nothing a
	// grandchild could keep open to stall Wait. A nil *os.File must not
	// become a non-nil io.Reader, hence the checks.
	if o.Stdin != nil {
		cmd.Stdin = o.Stdin
	}
	if o.Stdout != nil {
		cmd.Stdout = o.Stdout
	}
	if o.Stderr != nil {
		cmd.Stderr = o.Stderr
	}
	procgroup.SetGroup(cmd, foreground)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{pid: cmd.Process.Pid, began: time.Now(), done: make(chan struct{})}
	// The only goroutine that waits on this process; everyone else waits on done.
	go func() {
		_ = cmd.Wait() // the status is read from ProcessState; an *ExitError adds nothing
		p.ended = time.Now()
		p.state = cmd.ProcessState
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the leader has been waited for.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// ending reads how the run ended; call it only after done is closed.
func (p *proc) ending() ending {
	e := ending{uptime: p.ended.Sub(p.began), code: 1}
	if p.state != nil {
		e.code, e.sig = procgroup.ExitInfo(p.state)
	}
	return e
}

// maxChangedEnv caps RELOAD_CHANGED (changed.MaxEnv).
const maxChangedEnv = changed.MaxEnv

// joinPaths joins changed paths for RELOAD_CHANGED (changed.JoinPaths).
var joinPaths = changed.JoinPaths

// appEnv is the app's environment for its start number restarts. The
// RELOAD_* variables come last so they win over inherited ones (os/exec
// keeps the last value of a duplicated key).
func appEnv(base []string, restarts int, changed []string) []string {
	if base == nil {
		base = os.Environ()
	}
	env := make([]string, 0, len(base)+2)
	env = append(env, base...)
	return append(env,
		procgroup.PidEnv+"="+strconv.Itoa(os.Getpid()),
		"RELOAD_RESTARTS="+strconv.Itoa(restarts),
		"RELOAD_CHANGED="+joinPaths(changed, maxChangedEnv))
}
