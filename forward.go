package main

import (
	"context"

	"github.com/reload-dev/reload/runner"
	"github.com/reload-dev/reload/watcher"
)

// forward passes watcher batches and other triggers (rs, SIGHUP) to the
// runner as one stream. While the runner is busy (stopping or starting the
// app) it keeps merging what arrives into the one trigger it holds, so a
// burst during a slow stop becomes a single restart (SPEC §3).
func forward(ctx context.Context, batches <-chan watcher.Batch, extra <-chan runner.Trigger, out chan<- runner.Trigger) {
	var pending *runner.Trigger
	add := func(t runner.Trigger) {
		if pending == nil {
			pending = &runner.Trigger{}
		}
		*pending = pending.Merge(t)
	}
	for {
		var send chan<- runner.Trigger
		var next runner.Trigger
		if pending != nil {
			send, next = out, *pending
		}
		select {
		case <-ctx.Done():
			return
		case b, ok := <-batches:
			if !ok {
				batches = nil // the watcher is gone; rs and SIGHUP still work
				continue
			}
			add(runner.Trigger{Paths: b.Paths, Rescan: b.Rescan})
		case t := <-extra:
			add(t)
		case send <- next:
			pending = nil
		}
	}
}
