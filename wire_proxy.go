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

// appProxy is the [proxy] (--proxy) as start() sees it. A nil *appProxy is
// no proxy: its methods do nothing, so start() calls them either way.
type appProxy struct {
	srv  *proxy.Server
	done chan error
	log  *status.Printer
}

// startProxy listens and serves the proxy until ctx ends, when [proxy] is
// set; it returns nil otherwise. A port that is taken is a usage error, so
// it comes before the app starts.
func startProxy(ctx context.Context, p config.Proxy, log *status.Printer) (*appProxy, error) {
	if p.Listen == "" {
		return nil, nil
	}
	srv, err := proxy.New(proxy.Options{
		Listen:     p.Listen,
		Target:     p.Target,
		Wait:       p.Wait.Duration,
		LiveReload: p.LiveReload,
		Log:        log,
	})
	if err != nil {
		return nil, usageError(fmt.Errorf("%w; pick another port with --proxy or [proxy] listen", err))
	}
	a := &appProxy{srv: srv, done: make(chan error, 1), log: log}
	go func() { a.done <- srv.Run(ctx) }()
	return a, nil
}

// appEvent is the runner's observer (runner.Options.Notify). It only
// records the event: the proxy never blocks the runner.
func (a *appProxy) appEvent(e runner.Event) {
	if a == nil {
		return
	}
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
	if a == nil {
		return
	}
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

// wait waits for the proxy to close once ctx has ended.
func (a *appProxy) wait() {
	if a == nil {
		return
	}
	if err := <-a.done; err != nil {
		a.log.Warnf("proxy: %v", err)
	}
}
