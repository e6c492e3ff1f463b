package main

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/reload-dev/reload/internal/command"
	"github.com/reload-dev/reload/internal/inspect"
	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/runner"
)

// appInspector is --inspect as start() sees it: a stage that serves the
// debugger's stable address until ctx ends, and an observer of the runner.
type appInspector struct {
	srv     *inspect.Server
	log     *status.Printer
	private netip.AddrPort // node's own debugger address, which is not the app's
}

// newInspector: when node's options before the script open its debugger
// (reload --inspect index.js), reload serves the address they ask for
// itself, and node listens on a private loopback port instead; the plan
// it returns runs node so. Without such an option it returns nil and plan
// as it is. A bad or taken address is a usage error, before the app starts.
func newInspector(c *cli.Context, plan command.Plan, root string, log *status.Printer) (*appInspector, command.Plan, error) {
	args := interpreterArgs(c)
	if len(args) == 0 {
		return nil, plan, nil
	}
	// One private port for the whole run, not one per start: the runner's
	// argv is fixed, and it starts the new process only once the old one's
	// group is gone, so no two nodes ever want the port at once.
	private, err := freeLoopback()
	if err != nil {
		return nil, plan, err
	}
	f, ok, err := inspect.Rewrite(args, private)
	if err != nil {
		return nil, plan, usageError(err)
	}
	if !ok {
		return nil, plan, nil
	}
	warning, err := f.Check(lookupHost)
	if err != nil {
		return nil, plan, usageError(err)
	}
	if plan, err = plan.WithNodeFlags(f.Args); err != nil {
		return nil, plan, err
	}
	srv, err := inspect.New(inspect.Options{Listen: f.Addr(), Private: private, ID: inspect.StableID(root), Log: log})
	if err != nil {
		return nil, plan, usageError(fmt.Errorf("%s: %w; is another debugger or reload there? pick another port, like %s=%d",
			f.Option, err, f.Option, f.Port+1))
	}
	if warning != "" {
		log.Warnf("%s", warning)
	}
	return &appInspector{srv: srv, log: log, private: netip.MustParseAddrPort(private)}, plan, nil
}

// freeLoopback is a loopback address with a port that is free now.
func freeLoopback() (string, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(inspect.DefaultHost, "0"))
	if err != nil {
		return "", fmt.Errorf("no free loopback port for node's debugger: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// lookupHost resolves a host name written in --inspect.
func lookupHost(host string) ([]netip.Addr, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}

// run serves until ctx ends. A failure is reported; the app goes on
// without the stable endpoint.
func (a *appInspector) run(ctx context.Context) error {
	if err := a.srv.Run(ctx); err != nil {
		a.log.Warnf("inspect: %v", err)
	}
	return nil
}

// appEvent is the runner's observer: a stop or an exit closes the
// debugger's connections, a start points the stable address at the new
// process.
func (a *appInspector) appEvent(e runner.Event) {
	switch e.Kind {
	case runner.Started:
		a.srv.AppStarted(e.At)
	case runner.Stopping, runner.Exited:
		a.srv.AppStopped()
	}
}
