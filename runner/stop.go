package runner

import "github.com/reload-dev/reload/internal/procgroup"

// stop ends p and everything it left behind (procgroup.Stop: the stop
// signal to its group and its strays, StopTimeout, then SIGKILL) and says
// so when it had to kill. Afterwards reload has the terminal back.
func (r *runner) stop(p *proc) {
	defer r.reclaimTerminal()
	defer r.opts.Watchdog.Guard(0)
	leftovers := p.exited() // the app ended on its own: only what it left is stopped
	o := r.opts
	switch procgroup.Stop(p.pid, p.done, procgroup.StopOptions{
		Signal: r.sig, Grace: o.StopTimeout, Kill: o.Kill, Reaper: o.Reaper, Log: o.Log,
	}) {
	case procgroup.Stuck:
		o.Log.Warnf("some processes of the app (group %d) survived SIGKILL; they are stuck in the kernel", p.pid)
	case procgroup.KilledNow:
		o.Log.Debugf("app killed")
	case procgroup.Killed:
		if leftovers {
			o.Log.Warnf("processes the app left behind did not stop within %s; killed", round(o.StopTimeout))
		} else {
			o.Log.Warnf("app did not stop within %s; killed", round(o.StopTimeout))
		}
	}
}

// reclaimTerminal makes reload's group the terminal's foreground group again
// after the app, which held it, ended: Ctrl+C must reach reload while it
// waits for a change.
func (r *runner) reclaimTerminal() {
	if !r.opts.Foreground {
		return
	}
	if err := procgroup.TakeTerminal(r.opts.Stdin); err != nil {
		r.opts.Log.Debugf("taking the terminal back: %v", err)
	}
}
