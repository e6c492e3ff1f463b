package main

import (
	"context"
	"fmt"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/buildstep"
	"github.com/reload-dev/reload/internal/proxy"
	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/runner"
)

// appProxy is the [proxy] (--proxy) as start() sees it: a stage that
// serves until ctx ends, and an observer of the runner and the build.
type appProxy struct {
	srv *proxy.Server
	log *status.Printer
}

// newProxy listens on [proxy] listen. A port that is taken is a usage
// error, so it comes before the app starts.
func newProxy(p config.Proxy, log *status.Printer) (*appProxy, error) {
	srv, err := proxy.New(proxy.Options{
		Listen:       p.Listen,
		Target:       p.Target,
		Wait:         p.Wait.Duration,
		LiveReload:   p.LiveReload,
		AllowedHosts: p.AllowedHosts,
		Log:          log,
	})
	if err != nil {
		return nil, usageError(fmt.Errorf("%w; pick another port with --proxy or [proxy] listen", err))
	}
	return &appProxy{srv: srv, log: log}, nil
}

// run serves until ctx ends. A failure of the proxy is reported, but the
// app goes on without it.
func (a *appProxy) run(ctx context.Context) error {
	if err := a.srv.Run(ctx); err != nil {
		a.log.Warnf("proxy: %v", err)
	}
	return nil
}

// appEvent is the runner's observer (runner.Options.Notify). It only
// records the event: the proxy never blocks the runner.
func (a *appProxy) appEvent(e runner.Event) {
	switch e.Kind {
	case runner.Stopping:
		a.srv.AppStopping()
	case runner.Started:
		a.srv.AppStarted(e.Paths)
	case runner.Exited:
		a.srv.AppExited(e.Status, e.Crashed)
	}
}

// buildEvent is the build stage's observer (buildstep.Options.Notify).
func (a *appProxy) buildEvent(e buildstep.Event) {
	switch e.Kind {
	case buildstep.Building:
		a.srv.BuildStarted(e.Paths)
	case buildstep.Failed:
		a.srv.BuildFailed(e.Status, e.Output, e.Paths)
	case buildstep.Succeeded:
		// The runner stops the old app and starts the new one next, and
		// says so; requests keep waiting until then.
	}
}
