package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/sync/errgroup"

	"github.com/reload-dev/reload/internal/buildstep"
	"github.com/reload-dev/reload/internal/procgroup"
	"github.com/reload-dev/reload/internal/trigger"
	"github.com/reload-dev/reload/internal/warm"
	"github.com/reload-dev/reload/runner"
	"github.com/reload-dev/reload/watcher"
)

// parts are what the settings call for, made before anything starts so
// that a bad port or folder is a usage error with nothing to undo.
type parts struct {
	ev     *appEvents
	w      *watcher.Watcher // nil with --no-watch
	px     *appProxy        // nil without --proxy
	insp   *appInspector    // nil without --inspect
	reaper *procgroup.Reaper
	wd     *procgroup.Watchdog
	env    []string
	hk     *appHooks
	ahead  *warm.Plan // nil without --warm
	// appEnded: reload exits because of the app (not a signal), so the
	// hooks that fired for it may finish.
	appEnded bool
}

func newParts(c *cli.Context, s *settings) (*parts, error) {
	cfg, log := &s.cfg, s.log
	p := &parts{}
	var err error
	if p.ev, err = newEvents(c, *cfg, s.root, log); err != nil {
		return nil, err
	}
	cfg.Ignore = append(cfg.Ignore, p.ev.ignore(s.root)...)
	if cfg.OnChange {
		began := time.Now()
		if p.w, err = newWatcher(c, *cfg, s.plan, s.root, log); err != nil {
			p.close()
			return nil, usageError(err)
		}
		p.ev.watching(cfg.Watch, p.w, time.Since(began))
	}
	if cfg.Proxy.Listen != "" {
		if p.px, err = newProxy(cfg.Proxy, log); err != nil {
			p.close()
			return nil, err
		}
	}
	if p.insp, s.plan, err = newInspector(c, s.plan, s.root, log); err != nil {
		p.close()
		return nil, err
	}
	if p.insp != nil {
		p.ev.skip = p.insp.private.Port() // node's debugger listens before the app does
	}
	// The one child subreaper, switched on before any build or app starts.
	p.reaper = procgroup.NewReaper(log)
	p.wd = startWatchdog(*cfg, log)
	var appPath string
	p.env, appPath = appEnv(cfg.Env, s.plan.Bin)
	if len(s.plan.Bin) > 0 {
		log.Debugf("first on PATH, as npm run has them: %s", strings.Join(s.plan.Bin, string(os.PathListSeparator)))
	}
	if appPath != os.Getenv("PATH") {
		s.plan.Argv = s.plan.ExecArgv(appPath) // os/exec would look in reload's PATH, not the app's
	}
	p.hk = newHooks(*cfg, s.root, p.env, log)
	return p, nil
}

// close lets go of the parts, after the pipeline is done: the app is
// stopped by then.
func (p *parts) close() {
	if p.hk != nil {
		p.hk.close(p.appEnded)
	}
	p.ahead.Close()
	p.wd.Close()
	p.reaper.Close()
	p.ev.close()
}

// serve runs the pipeline — sources → coalesce → (build) → runner, with
// the watcher, proxy, debugger and signals beside it — under one errgroup
// until the app is done or reload is told to stop: one cancel, one wait.
func serve(s *settings, p *parts) (int, error) {
	cfg, log := s.cfg, s.log
	sigs := notifySignals()
	defer signal.Stop(sigs)
	base, cancel := context.WithCancel(context.Background())
	defer cancel()
	g, ctx := errgroup.WithContext(base)
	// sources takes every reason to (re)start; the first start is one of
	// them, unless the app waits for a first change (on_change_only).
	sources := make(chan trigger.Trigger, 1)
	if cfg.OnChangeOnly {
		log.Infof("waiting for a change before starting %s", s.plan.Describe)
	} else {
		sources <- trigger.Trigger{Reason: trigger.Start}
	}
	in, err := setupStdin(ctx, cfg.Restartable, sources, log)
	if err != nil {
		return exitInternal, err
	}
	defer in.Close()
	if cfg.Warm {
		var why error
		if p.ahead, why = warm.Prepare(s.plan, s.cwd, s.root, p.env, in.foreground); why != nil {
			log.Infof("--warm is off, every start is cold: %v", why)
		}
	}
	triggers := make(chan trigger.Trigger)
	g.Go(func() error { trigger.Coalesce(ctx, sources, triggers); return nil })
	if p.w != nil {
		g.Go(func() error { return watch(ctx, p.w, sources, log, p.ev) })
	}
	appTriggers := (<-chan trigger.Trigger)(triggers)
	if cfg.Build != "" {
		built := make(chan trigger.Trigger)
		stage := newBuildStage(cfg, s.cwd, p.env, log, p.px, p.ev, p.hk)
		g.Go(func() error { return stage.Run(ctx, triggers, built) })
		appTriggers = built
	}
	if p.px != nil {
		g.Go(func() error { return p.px.run(ctx) })
	}
	if p.insp != nil {
		g.Go(func() error { return p.insp.run(ctx) })
	}
	kill := make(chan struct{})
	relay := make(chan os.Signal, 4)
	caught := make(chan os.Signal, 1)
	runnerDone := make(chan struct{})
	var code int
	g.Go(func() error {
		defer close(runnerDone)
		defer cancel() // the app is done: every stage ends
		var err error
		code, err = runner.Run(ctx, appOptions(s, p, in, kill, relay), appTriggers)
		p.appEnded = err == nil && ctx.Err() == nil
		return err
	})
	hup := newHangup()
	g.Go(func() error {
		handleSignals(runnerDone, sigs, hup, sources, relay, caught, cancel, kill, log)
		return nil
	})
	err = g.Wait()
	p.appEnded = p.appEnded || errors.Is(err, buildstep.ErrNothingToRun)
	return exitStatus(code, err, caught)
}

// appOptions is how the runner supervises the app, with every observer.
func appOptions(s *settings, p *parts, in appStdin, kill <-chan struct{}, relay <-chan os.Signal) runner.Options {
	opts := runnerOptions(s.cfg, s.plan, s.cwd, p.env, in, kill, relay, p.reaper, p.wd, s.log)
	opts.Warm = p.ahead
	var observers []func(runner.Event)
	if s.cfg.OnChange {
		observers = append(observers, selfWrites(s.cfg, s.log))
	}
	if p.px != nil {
		observers = append(observers, p.px.appEvent)
	}
	observers = append(observers, p.ev.appEvent)
	if p.hk != nil {
		observers = append(observers, p.hk.appEvent)
	}
	if p.insp != nil {
		observers = append(observers, p.insp.appEvent)
	}
	opts.Notify = func(e runner.Event) {
		for _, o := range observers { // each only listens, and returns at once
			o(e)
		}
	}
	return opts
}

// exitStatus is reload's exit status (SPEC §3): 130 when the app was
// interrupted at the terminal, 128+N for a signal N that stopped reload,
// the app's own with --no-watch, 1 for an internal error.
func exitStatus(code int, err error, caught <-chan os.Signal) (int, error) {
	switch {
	case errors.Is(err, runner.ErrInterrupted):
		return 130, nil
	case err != nil:
		return exitInternal, err
	}
	select {
	case s := <-caught:
		return 128 + int(s.(syscall.Signal)), nil
	default:
	}
	return code, nil
}
