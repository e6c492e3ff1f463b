package watcher

import (
	"context"
	"slices"
	"time"
)

// The quiet period has two lengths. A batch whose events all arrive within
// together of its first one and that changes one file (temp files that came
// and went aside) is a single save, offered settle after its last event. A
// burst is in progress, and the batch is offered only once delay has passed
// without an event, as soon as an event comes later than together (more
// saves, or one file written in pieces), or when the events that came
// together change more than one file (a save-all, the start of a storm) or
// remove one (a save never removes a file; a sync tool's rm before its
// copy, or a checkout, does).
//
// One save's events arrive together: an in-place write is a truncate and a
// write (two Writes of one path); an editor's atomic save and sed -i are a
// temp file's create and write and its rename over the real file; vim
// renames the file to its backup, writes a new one and removes the backup.
// Each took under 0.4 ms on Linux, so together is 1 ms; a save spread wider
// only loses the fast path. A file written in chunks a millisecond or more
// apart, or files saved in turn, go past together and so wait out delay,
// which is what keeps a half-written file from restarting the app.
//
// settle must outlast any pause inside one save, or the save is split in two
// batches: an fsync between the temp file's write and the rename (1–3 ms on
// an SSD) and the writer losing its CPU between two calls (a scheduler slice
// is 1.5–3 ms). 5 ms covers both, yet a lone save waits a tenth of the
// default delay. settle never exceeds delay: --delay 0s still never waits.
const (
	settle   = 5 * time.Millisecond
	together = time.Millisecond
)

// change is one filtered event on its way to the debouncer.
type change struct {
	rel     string // relative to the project root, slash-separated
	created bool   // the event was a Create: a path born and gone within one batch is an editor's temp file
	rescan  bool   // events were lost; rel is empty
}

// debounce folds changes into batches: a batch is offered once no change has
// arrived for its quiet period (settle for a lone save, delay for a burst;
// see settle), and while the receiver is busy every new change joins the
// waiting batch and pushes its quiet edge back by delay, so the receiver
// never takes half a burst. A quiet timer that fires late (this process was
// held up, and the reading of events with it) waits once more, for
// together, before the batch is offered. Nothing ticks while idle. With
// delay 0 a batch is offered as soon as no change is immediately pending.
//
// exists reports whether a path is still there when the batch is built; a
// path whose first change in the batch was a Create and that no longer
// exists is dropped (an atomic save's temp file), and so are its writes,
// rename or removal that come only in the batches after (they were still on
// their way when the batch was built), while it stays gone. A path that
// existed before and was removed stays: deleting a file is a change.
func debounce(ctx context.Context, in <-chan change, delay time.Duration, exists func(rel string) bool, out chan<- Batch) {
	pending := map[string]bool{} // path → its first change in this batch was a Create
	rescan := false
	timer := time.NewTimer(delay)
	timer.Stop()
	defer timer.Stop()
	var (
		first   time.Time        // when the batch's first change arrived; zero while idle
		burst   bool             // the batch is no single save: its quiet period is delay
		due     time.Time        // when quietC is due
		held    bool             // quietC fired late once since the last change
		quietC  <-chan time.Time // nil while idle or while a batch waits
		send    chan<- Batch     // out while a built batch waits for the receiver, else nil
		batch   Batch
		dropped map[string]bool // the temp files left out of batch
		temps   map[string]bool // those of the last batch sent or found empty
	)
	add := func(c change) {
		now := time.Now()
		if first.IsZero() {
			first = now
		}
		burst = burst || now.Sub(first) >= together
		quiet := min(settle, delay)
		if burst {
			quiet = delay
		}
		timer.Reset(quiet) // each change pushes the quiet edge back
		due, held = now.Add(quiet), false
		quietC = timer.C
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
		case <-quietC:
			quietC = nil
			select {
			case c := <-in: // arrived as the timer fired: it moves the quiet edge
				add(c)
				continue
			default:
			}
			if now := time.Now(); now.Sub(due) > together && !held && delay > 0 {
				// The timer was held up, and so, likely, was the reading of
				// events (a GC pause, a busy machine): changes it should
				// have waited for may be just behind. Give them a moment,
				// once: on a machine that is always late, a batch still goes.
				timer.Reset(together)
				due, held = now.Add(together), true
				quietC = timer.C
				continue
			}
			batch, dropped = build(pending, temps, rescan, exists)
			batch.Seen = first
			if len(batch.Paths) == 0 && !batch.Rescan {
				clear(pending) // only temp files came and went: nothing changed
				first, burst, temps = time.Time{}, false, dropped
				continue
			}
			if !burst && settle < delay && (len(batch.Paths) > 1 || batch.Rescan || !exists(batch.Paths[0])) {
				// Several files at once, or a file removed (a save never
				// removes; a sync tool's rm -rf before its copy, a checkout
				// do): wait until delay after the last change.
				burst = true
				due = due.Add(delay - settle)
				timer.Reset(time.Until(due))
				quietC = timer.C
				continue
			}
			send = out
		case send <- batch:
			send = nil
			batch = Batch{}
			clear(pending)
			rescan = false
			first, burst, temps = time.Time{}, false, dropped
		}
	}
}

// build makes the batch from the pending paths, sorted, leaving out the
// temp files: those that are gone and were created in this batch or were
// temp files of the last (temps). It returns the ones it left out.
func build(pending, temps map[string]bool, rescan bool, exists func(string) bool) (Batch, map[string]bool) {
	paths := make([]string, 0, len(pending))
	var dropped map[string]bool
	for p, created := range pending {
		if (created || temps[p]) && !exists(p) {
			if dropped == nil {
				dropped = map[string]bool{}
			}
			dropped[p] = true
			continue
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return Batch{Paths: paths, Rescan: rescan}, dropped
}
