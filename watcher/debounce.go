package watcher

import (
	"context"
	"slices"
	"time"
)

// change is one filtered event on its way to the debouncer.
type change struct {
	rel     string // relative to the project root, slash-separated
	created bool   // the event was a Create: a path born and gone within one batch is an editor's temp file
	rescan  bool   // events were lost; rel is empty
}

// debounce folds changes into batches: a batch is offered once no change has
// arrived for quiet (a trailing debounce), and while the receiver is busy
// every new change joins the waiting batch and pushes its quiet edge back,
// so the receiver never takes half a burst. Nothing ticks while idle. With
// quiet 0 a batch is offered as soon as no change is immediately pending.
//
// exists reports whether a path is still there when the batch is built; a
// path whose first change in the batch was a Create and that no longer
// exists is dropped (an atomic save's temp file). A path that existed before
// and was removed stays: deleting a file is a change.
func debounce(ctx context.Context, in <-chan change, quiet time.Duration, exists func(rel string) bool, out chan<- Batch) {
	pending := map[string]bool{} // path → its first change in this batch was a Create
	rescan := false
	var seen time.Time // the batch's first change
	timer := time.NewTimer(quiet)
	timer.Stop()
	defer timer.Stop()
	var (
		quietC <-chan time.Time // nil while idle or while a batch waits
		send   chan<- Batch     // out while a built batch waits for the receiver, else nil
		batch  Batch
	)
	add := func(c change) {
		if seen.IsZero() {
			seen = time.Now()
		}
		if c.rescan {
			rescan = true
			return
		}
		if _, seen := pending[c.rel]; !seen {
			pending[c.rel] = c.created
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case c := <-in:
			add(c)
			send = nil // the waiting batch is stale; rebuild it after the next quiet period
			timer.Reset(quiet)
			quietC = timer.C
		case <-quietC:
			quietC = nil
			select {
			case c := <-in: // arrived as the timer fired: it moves the quiet edge
				add(c)
				timer.Reset(quiet)
				quietC = timer.C
				continue
			default:
			}
			batch = build(pending, rescan, exists)
			batch.Seen = seen
			if len(batch.Paths) == 0 && !batch.Rescan {
				clear(pending) // only temp files came and went: nothing changed
				seen = time.Time{}
				continue
			}
			send = out
		case send <- batch:
			send = nil
			batch = Batch{}
			clear(pending)
			rescan, seen = false, time.Time{}
		}
	}
}

// build makes the batch from the pending paths, sorted, dropping those that
// were created in this batch and are gone again.
func build(pending map[string]bool, rescan bool, exists func(string) bool) Batch {
	paths := make([]string, 0, len(pending))
	for p, created := range pending {
		if created && !exists(p) {
			continue
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return Batch{Paths: paths, Rescan: rescan}
}
