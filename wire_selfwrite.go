package main

import (
	"time"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/command"
	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/internal/trigger"
	"github.com/reload-dev/reload/runner"
)

// selfWrites is a runner observer that warns, once, when a path changes right after each of three starts
// in a row: the app writes into a watched folder (trigger.SelfWrites). The
// runner calls it on its own goroutine, so its state needs no lock.
//
// A trigger reaches the runner when it begins stopping the app (Stopping);
// when the app had already ended, the new start is that moment. With a
// build, the build's time comes on top, so a build slower than a second
// hides the pattern: then the warning is missed, never wrong.
func selfWrites(cfg config.Config, log *status.Printer) func(runner.Event) {
	sw := trigger.NewSelfWrites(time.Second + cfg.Delay.Duration + cfg.Poll.Duration)
	var stopping time.Time
	return func(e runner.Event) {
		now := time.Now()
		switch e.Kind {
		case runner.Stopping:
			stopping = now
		case runner.Started:
			arrived := now
			if !stopping.IsZero() {
				arrived = stopping
			}
			stopping = time.Time{}
			if p := sw.Started(now, arrived, e.Paths); p != "" {
				log.Warnf("%s changed right after each start: is the app writing into a watched folder? "+
					"add it to ignore (reload --ignore %s)", p, command.Quote([]string{p}))
			}
		}
	}
}
