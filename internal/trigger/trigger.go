// Package trigger is the restart pipeline's one value and its one
// coalescing stage. Every reason to (re)start the app — the first start,
// changed files, `rs`, a restart signal — is a Trigger; stages pass them on
// as channels in and channels out: sources → Coalesce → (build) → runner.
package trigger

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Start is the Reason of the app's first start: it flows through the same
// stages as every other trigger (the build runs for it; the runner starts
// the app for it).
const Start = "start"

// Trigger asks for a (re)start of the app.
type Trigger struct {
	Paths  []string // changed paths relative to the project root (may be empty)
	Rescan bool     // the watcher lost events: assume anything changed
	Reason string   // for triggers that are not file changes: Start, "rs", "SIGHUP"
	// Seen is when the first change behind the trigger was seen (zero:
	// not a change, or not known), for save-to-start timings.
	Seen time.Time
}

// First reports whether t is (or includes) the app's first start.
func (t Trigger) First() bool { return t.Reason == Start }

// Merge folds b into a: one start (or build) serves both. Paths are kept
// sorted and unique; the first reason wins; Seen is the earliest.
func (a Trigger) Merge(b Trigger) Trigger {
	out := Trigger{Rescan: a.Rescan || b.Rescan, Reason: a.Reason, Seen: a.Seen}
	if out.Reason == "" {
		out.Reason = b.Reason
	}
	if out.Seen.IsZero() || !b.Seen.IsZero() && b.Seen.Before(out.Seen) {
		out.Seen = b.Seen // the earliest change
	}
	if len(a.Paths)+len(b.Paths) > 0 {
		out.Paths = make([]string, 0, len(a.Paths)+len(b.Paths))
		out.Paths = append(append(out.Paths, a.Paths...), b.Paths...)
		slices.Sort(out.Paths)
		out.Paths = slices.Compact(out.Paths)
	}
	return out
}

// String says why the app restarts: "src/app.js changed (+3 more)", "rs".
func (t Trigger) String() string {
	switch {
	case len(t.Paths) == 1:
		return t.Paths[0] + " changed"
	case len(t.Paths) > 1:
		return fmt.Sprintf("%s changed (+%d more)", t.Paths[0], len(t.Paths)-1)
	case t.Reason != "":
		return t.Reason
	case t.Rescan:
		return "files changed (some events were lost)"
	}
	return "restart requested"
}

// Coalesce passes triggers from in to out. While out's reader is busy
// (stopping or starting the app, building) it merges everything that
// arrives into the one trigger it holds, so a burst during a slow stop
// becomes a single restart. It returns when ctx is done, or when in is
// closed and what it held was taken.
func Coalesce(ctx context.Context, in <-chan Trigger, out chan<- Trigger) {
	var pending *Trigger
	for {
		var send chan<- Trigger // nil (never ready) while nothing is pending
		var next Trigger
		if pending != nil {
			send, next = out, *pending
		} else if in == nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case t, ok := <-in:
			if !ok {
				in = nil
				continue
			}
			if pending == nil {
				pending = &Trigger{}
			}
			*pending = pending.Merge(t)
		case send <- next:
			pending = nil
		}
	}
}
