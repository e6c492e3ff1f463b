package runner

import (
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/reload-dev/reload/internal/procgroup"
	"github.com/reload-dev/reload/internal/trigger"
	"github.com/reload-dev/reload/internal/warm"
)

const (
	// warmAfter is how long an app runs before the next one is started
	// ahead: by then it is up (an app that crashes at once gets none),
	// and the interpreter booting beside it no longer slows its own start.
	warmAfter = 100 * time.Millisecond
	// gateTimeout bounds the write of the gate's message: a process
	// started ahead that does not take it (it is stopped) is discarded.
	gateTimeout = 2 * time.Second
)

// armWarm schedules the next start ahead, warmAfter from now, when
// Options.Warm asks for one and none waits.
func (r *runner) armWarm() {
	r.disarmWarm()
	if r.opts.Warm != nil && r.warm == nil {
		r.warmTimer = time.NewTimer(warmAfter)
	}
}

// disarmWarm cancels a scheduled start ahead.
func (r *runner) disarmWarm() {
	if r.warmTimer != nil {
		r.warmTimer.Stop()
		r.warmTimer = nil
	}
}

// warmC fires when the next start ahead is due; nil when none is.
func (r *runner) warmC() <-chan time.Time {
	if r.warmTimer == nil {
		return nil
	}
	return r.warmTimer.C
}

// warmDone is closed when the process waiting at the gate ends; nil when
// none waits.
func (r *runner) warmDone() <-chan struct{} {
	if r.warm == nil {
		return nil
	}
	return r.warm.done
}

// startWarm starts the next app ahead: it boots and waits at the gate
// (see internal/warm). It has the app's files and a group of its own, as
// the app will, and the environment of the next start without what the
// start's cause adds (the gate's message brings that). It is not the
// app's yet: the watchdog and the reaper leave it alone, and it is killed
// if it is not used.
func (r *runner) startWarm() {
	r.warmTimer = nil
	if r.opts.Warm == nil || r.warm != nil || r.cur == nil {
		return // the app ended before it was up: its successor starts cold
	}
	log := r.opts.Log
	if err := checkDir(r.opts.Dir); err != nil {
		log.Debugf("cannot start the next app ahead: %v", err)
		return
	}
	gr, gate, err := warm.NewGate()
	if err != nil {
		log.Debugf("cannot start the next app ahead: %v", err)
		return
	}
	argv := r.opts.Warm.Argv
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(appEnv(r.opts.Env, r.starts, nil), warm.Env)
	cmd.ExtraFiles = []*os.File{gr}
	p, err := r.spawn(cmd, false) // never the terminal's foreground: it waits in the background
	gr.Close()
	if err != nil {
		gate.Close()
		log.Debugf("cannot start the next app ahead: %v", err)
		return
	}
	p.gate, p.env = gate, cmd.Env
	r.warm = p
	log.Debugf("next app started ahead (pid %d), waiting at the gate", p.pid)
}

// takeWarm returns the process waiting at the gate as the app for t, gate
// open, or nil when this start is cold (it says why with -v).
func (r *runner) takeWarm(t trigger.Trigger) *proc {
	if r.opts.Warm == nil || t.First() {
		return nil
	}
	log := r.opts.Log
	p := r.warm
	if p == nil {
		log.Debugf("cold start: no app was started ahead yet (one starts %s after an app starts)", warmAfter)
		return nil
	}
	if why := r.opts.Warm.ColdReason(t.Paths, t.Rescan); why != "" {
		log.Debugf("cold start: %s", why)
		r.dropWarm()
		return nil
	}
	r.warm = nil
	env := withChanges(appEnv(r.opts.Env, r.starts, t.Paths), r.changes.write(t.Paths), t.Paths)
	// Once the gate is open the process is the app, whatever it does next
	// (new code that fails to parse ends it at once): it is checked before.
	if p.exited() || p.gate.Open(warm.Message(p.env, env), gateTimeout) != nil {
		log.Debugf("cold start: the app started ahead (pid %d) is gone", p.pid)
		r.kill(p)
		return nil
	}
	waited := time.Since(p.began)
	p.began, p.gate, p.env = time.Now(), nil, nil
	r.opts.Watchdog.Guard(p.pid)
	log.Debugf("warm start: the app started ahead (pid %d, %s ago) goes on", p.pid, round(waited))
	return p
}

// warmEnded handles the process waiting at the gate ending on its own
// (killed, or node refused its options): the next start is cold, and no
// other is started ahead until then.
func (r *runner) warmEnded() {
	p := r.warm
	r.warm = nil
	r.opts.Log.Debugf("the app started ahead (pid %d) ended while it waited: %s; the next start is cold",
		p.pid, p.ending().describe())
	r.kill(p)
}

// dropWarm kills the process waiting at the gate, if any.
func (r *runner) dropWarm() {
	if r.warm != nil {
		r.kill(r.warm)
		r.warm = nil
	}
}

// kill ends a process started ahead that will not be the app. It ran none
// of the app's code, so it has no children and no grace to give: closing
// the gate ends it, SIGKILL to its group makes sure, and Stop reaps it.
func (r *runner) kill(p *proc) {
	p.gate.Close()
	procgroup.Stop(p.pid, p.done, procgroup.StopOptions{Signal: syscall.SIGKILL})
}
