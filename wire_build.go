package main

import (
	"context"
	"os"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/buildstep"
	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/runner"
)

// buildStage puts the build step (cfg.Build) between the forwarder's
// triggers and the runner, and runs the first build before the app's first
// start. It returns the triggers the runner reads, whether the runner must
// hold its first start for a trigger (the first build failed: the first
// good build starts the app), and a func that waits for the stage to end
// after ctx is done. Without a build it returns in itself: no stage, no cost.
// notify, if not nil, observes every build (see buildstep.Options.Notify).
func buildStage(ctx context.Context, cfg config.Config, dir string, env []string,
	in <-chan runner.Trigger, log *status.Printer, notify func(buildstep.Event)) (<-chan runner.Trigger, bool, func()) {
	if cfg.Build == "" {
		return in, false, func() {}
	}
	stage := buildstep.New(buildstep.Options{
		Command: cfg.Build,
		Dir:     dir, // where the app runs, so the build's relative paths match cmd's
		Env:     env,
		Output:  os.Stderr,
		Log:     log,
		Notify:  notify,
	})
	ok := stage.First(ctx, in)
	out := make(chan runner.Trigger)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = stage.Run(ctx, in, out) // returns only nil: a failed build is reported, not returned
	}()
	return out, !ok, func() { <-done }
}
