package main

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/buildstep"
	"github.com/reload-dev/reload/internal/events"
	"github.com/reload-dev/reload/internal/ready"
	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/runner"
	"github.com/reload-dev/reload/watcher"
)

// appEvents tells the tools around reload what the app is doing: the
// --events stream (sink is nil without it) and, on Linux, the "app
// listening on" line once per start. It only listens: the watcher, the
// build stage and the runner call it and go on at once.
type appEvents struct {
	sink *events.Sink
	path string // where the sink writes, absolute ("" for none or stdout)
	log  *status.Printer
	port uint16 // the proxy's target port: the listener to name first
	skip uint16 // the app's private debugger port (--inspect): never named
	// The ready scan of the current start. Only runner events start and
	// stop it, all on the runner's goroutine, so it needs no lock; the
	// finder is used by one scan at a time.
	finder   *ready.Finder
	stopScan context.CancelFunc
	scanDone chan struct{}
}

// newEvents opens --events, if set. A path from the command line is
// relative to where reload runs; one from the config file, to the project
// root, like the file's other paths.
func newEvents(c *cli.Context, cfg config.Config, root string, log *status.Printer) (*appEvents, error) {
	a := &appEvents{log: log, finder: ready.NewFinder()}
	if _, port, err := net.SplitHostPort(cfg.Proxy.Target); err == nil {
		if p, err := strconv.ParseUint(port, 10, 16); err == nil {
			a.port = uint16(p)
		}
	}
	path := cfg.Events
	if path == "" {
		return a, nil
	}
	if path != "-" && !filepath.IsAbs(path) && !c.IsSet("events") {
		path = filepath.Join(root, path)
	}
	sink, err := events.Open(path, events.Options{Warn: log.Warnf, Debug: log.Debugf})
	if err != nil {
		a.finder.Close()
		return nil, usageError(err)
	}
	a.sink = sink
	if path != "-" {
		a.path, _ = filepath.Abs(path)
	}
	return a, nil
}

// ignore is the ignore glob for the events file when it lies under root:
// each event written would otherwise be a change, and restart the app.
func (a *appEvents) ignore(root string) []string {
	if a.path == "" {
		return nil
	}
	file := a.path
	if dir, err := filepath.EvalSymlinks(filepath.Dir(file)); err == nil {
		file = filepath.Join(dir, filepath.Base(file))
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	rel, err := filepath.Rel(root, file)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil
	}
	return []string{globQuote(filepath.ToSlash(rel))}
}

// globQuote escapes doublestar's special characters in a path.
func globQuote(p string) string {
	var b strings.Builder
	for _, r := range p {
		if strings.ContainsRune(`\*?[]{}`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// close ends the ready scan and writes what the stream still holds. Call
// it once every stage has returned: nothing may emit after it.
func (a *appEvents) close() {
	a.endReady()
	if a.finder != nil {
		a.finder.Close()
	}
	a.sink.Close()
}

// watching reports the watcher, set up in took.
func (a *appEvents) watching(roots []string, w *watcher.Watcher, took time.Duration) {
	a.sink.Emit(events.Watching{Roots: roots, Watches: w.Dirs(), MS: events.MS(took)})
}

// change reports a batch from the watcher, with at most events.MaxPaths paths.
func (a *appEvents) change(b watcher.Batch) {
	paths := b.Paths
	if len(paths) > events.MaxPaths {
		paths = paths[:events.MaxPaths]
	}
	if paths == nil {
		paths = []string{}
	}
	a.sink.Emit(events.Change{Paths: paths, Count: len(b.Paths), Rescan: b.Rescan})
}

// appEvent is the runner's observer. A stop or an exit ends the ready scan
// first, so a ready event never follows the stop or exit of its app.
func (a *appEvents) appEvent(e runner.Event) {
	switch e.Kind {
	case runner.Started:
		ev := events.Start{Pid: e.Pid, Restarts: e.Restarts, Reason: e.Reason}
		if !e.Seen.IsZero() {
			ev.SinceChangeMS = events.Ptr(events.MS(e.At.Sub(e.Seen)))
		}
		a.sink.Emit(ev)
		a.startReady(e)
	case runner.Stopping:
		a.endReady()
		a.sink.Emit(events.Stop{Pid: e.Pid, Reason: e.Reason, UptimeMS: events.MS(e.Uptime)})
	case runner.Exited:
		a.endReady()
		ev := events.Exit{UptimeMS: events.MS(e.Uptime), Crash: e.Crashed}
		switch {
		case e.Pid == 0:
			ev.Code, ev.Error = events.Ptr(e.Code), e.Status
		case e.Signal != "":
			ev.Pid, ev.Signal = events.Ptr(e.Pid), events.Ptr(e.Signal)
		default:
			ev.Pid, ev.Code = events.Ptr(e.Pid), events.Ptr(e.Code)
		}
		if e.Restart {
			ev.NextMS = events.Ptr(events.MS(e.Next))
		}
		a.sink.Emit(ev)
	}
}

// buildEvent is the build stage's observer.
func (a *appEvents) buildEvent(e buildstep.Event) {
	switch e.Kind {
	case buildstep.Building:
		a.sink.Emit(events.BuildStart{State: events.BuildStarted})
	case buildstep.Succeeded:
		a.sink.Emit(events.BuildSuccess{State: events.BuildSucceeded, MS: events.MS(e.Took)})
	case buildstep.Failed:
		ev := events.BuildFailure{State: events.BuildFailed, Status: e.Status, Tail: e.Output, MS: events.MS(e.Took)}
		if e.Code >= 0 {
			ev.Code = events.Ptr(e.Code)
		}
		a.sink.Emit(ev)
	}
}

// startReady looks, from a goroutine of its own, for the first socket the
// app started in e listens on, and says where once it does. It looks with
// backoff and for ready.DefaultLimit at most; nothing runs while idle.
func (a *appEvents) startReady(e runner.Event) {
	a.endReady()
	if !ready.Supported || a.finder == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	a.stopScan, a.scanDone = cancel, done
	go func() {
		defer close(done)
		addr, ok := a.finder.Wait(ctx, e.Pid, ready.Options{Port: a.port, Skip: a.skip, Began: e.At})
		if !ok {
			return
		}
		now := time.Now()
		url := ready.URL(addr)
		ev := events.Ready{Pid: e.Pid, Address: addr.String(), URL: url, MS: events.MS(now.Sub(e.At))}
		line := fmt.Sprintf("app listening on %s (%d ms after start", url, ev.MS)
		if !e.Seen.IsZero() {
			ev.SinceChangeMS = events.Ptr(events.MS(now.Sub(e.Seen)))
			line += fmt.Sprintf(", %d ms after the save", *ev.SinceChangeMS)
		}
		a.log.Infof("%s)", line)
		a.sink.Emit(ev)
	}()
}

// endReady cancels the ready scan, if any, and waits for it: at most the
// rest of one scan.
func (a *appEvents) endReady() {
	if a.stopScan != nil {
		a.stopScan()
		<-a.scanDone
		a.stopScan, a.scanDone = nil, nil
	}
}
