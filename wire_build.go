package main

import (
	"os"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/buildstep"
	"github.com/reload-dev/reload/internal/status"
)

// newBuildStage is the build step (cfg.Build) between the coalesced
// triggers and the runner. The build runs where the app runs, so its
// relative paths match cmd's.
func newBuildStage(cfg config.Config, dir string, env []string, log *status.Printer, px *appProxy, ev *appEvents, hk *appHooks) *buildstep.Stage {
	o := buildstep.Options{
		Command:  cfg.Build,
		Dir:      dir,
		Env:      env,
		Output:   os.Stderr,
		Log:      log,
		Watching: cfg.OnChange,
	}
	if px != nil {
		o.Notify = px.buildEvent
	}
	next := o.Notify
	o.Notify = func(e buildstep.Event) {
		if next != nil {
			next(e)
		}
		ev.buildEvent(e)
		hk.buildEvent(e)
	}
	return buildstep.New(o)
}
