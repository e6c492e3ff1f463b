package watcher

import (
	"context"
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// debouncer runs debounce inside the current bubble; the returned stop ends it.
func debouncer(quiet time.Duration, exists func(string) bool) (in chan change, out chan Batch, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	in, out = make(chan change, 16), make(chan Batch)
	done := make(chan struct{})
	if exists == nil {
		exists = func(string) bool { return true }
	}
	go func() {
		defer close(done)
		debounce(ctx, in, quiet, exists, out)
	}()
	return in, out, func() { cancel(); <-done }
}

// noBatch fails if a batch is ready now (after everything in the bubble has settled).
func noBatch(t *testing.T, out <-chan Batch, when string) {
	t.Helper()
	synctest.Wait()
	select {
	case b := <-out:
		t.Fatalf("%s: unexpected batch %+v", when, b)
	default:
	}
}

func TestDebounceBurstIsOneBatchDelayAfterLast(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, stop := debouncer(50*time.Millisecond, nil)
		defer stop()
		for _, p := range []string{"b.js", "a.js", "b.js", "c.js"} {
			in <- change{rel: p}
			time.Sleep(10 * time.Millisecond)
			noBatch(t, out, "during the burst")
		}
		last := time.Now().Add(-10 * time.Millisecond)
		time.Sleep(39 * time.Millisecond)
		noBatch(t, out, "1ms before the quiet period ends")
		b := <-out
		if got := time.Since(last); got != 50*time.Millisecond {
			t.Errorf("batch came %v after the last event, want exactly 50ms", got)
		}
		if want := []string{"a.js", "b.js", "c.js"}; !slices.Equal(b.Paths, want) || b.Rescan {
			t.Errorf("batch = %+v, want paths %q and no rescan", b, want)
		}
		time.Sleep(time.Hour)
		noBatch(t, out, "an hour later")
	})
}

func TestDebounceSlowConsumerGetsEverythingInOneBatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, stop := debouncer(50*time.Millisecond, nil)
		defer stop()
		in <- change{rel: "first.js"}
		time.Sleep(200 * time.Millisecond) // the batch is ready, but the consumer is busy
		in <- change{rel: "second.js"}
		time.Sleep(20 * time.Millisecond)
		in <- change{rel: "third.js"}
		time.Sleep(500 * time.Millisecond) // still busy, long after the quiet period
		b := <-out
		if want := []string{"first.js", "second.js", "third.js"}; !slices.Equal(b.Paths, want) {
			t.Errorf("batch = %q, want %q", b.Paths, want)
		}
		noBatch(t, out, "after the folded batch")

		// A consumer that comes back mid-burst waits for the burst's quiet end
		// instead of taking half of it.
		in <- change{rel: "x.js"}
		time.Sleep(30 * time.Millisecond)
		in <- change{rel: "y.js"}
		start := time.Now()
		b = <-out
		if got := time.Since(start); got != 50*time.Millisecond {
			t.Errorf("waiting consumer got the batch after %v, want 50ms", got)
		}
		if want := []string{"x.js", "y.js"}; !slices.Equal(b.Paths, want) {
			t.Errorf("batch = %q, want %q", b.Paths, want)
		}
	})
}

func TestDebounceIdleSendsNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, out, stop := debouncer(50*time.Millisecond, nil)
		defer stop()
		time.Sleep(24 * time.Hour)
		noBatch(t, out, "idle for a day")
	})
}

func TestDebounceZeroDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, stop := debouncer(0, nil)
		defer stop()
		// Queued together: no event is pending only once all three are taken.
		in <- change{rel: "a"}
		in <- change{rel: "b"}
		in <- change{rel: "c"}
		start := time.Now()
		b := <-out
		if time.Since(start) != 0 {
			t.Errorf("zero delay batch took %v", time.Since(start))
		}
		if want := []string{"a", "b", "c"}; !slices.Equal(b.Paths, want) {
			t.Errorf("batch = %q, want %q", b.Paths, want)
		}
		in <- change{rel: "d"}
		if b := <-out; !slices.Equal(b.Paths, []string{"d"}) {
			t.Errorf("second batch = %q, want [d]", b.Paths)
		}
	})
}

func TestDebounceDropsTempFilesKeepsDeletes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		existing := map[string]bool{"app.js": true, "new.js": true}
		in, out, stop := debouncer(50*time.Millisecond, func(p string) bool { return existing[p] })
		defer stop()
		in <- change{rel: "app.js.tmp", created: true} // the editor's temp file...
		in <- change{rel: "app.js.tmp"}                // ...renamed away
		in <- change{rel: "app.js", created: true}     // over the real file
		in <- change{rel: "new.js", created: true}     // a new file that stays
		in <- change{rel: "old.js"}                    // an existing file deleted
		b := <-out
		if want := []string{"app.js", "new.js", "old.js"}; !slices.Equal(b.Paths, want) {
			t.Errorf("batch = %q, want %q", b.Paths, want)
		}

		// A batch of nothing but temp files is no batch at all.
		in <- change{rel: "x.tmp", created: true}
		time.Sleep(time.Second)
		noBatch(t, out, "after a temp file came and went")
		in <- change{rel: "sentinel.js"}
		if b := <-out; !slices.Equal(b.Paths, []string{"sentinel.js"}) {
			t.Errorf("batch after the temp file = %q, want only the sentinel", b.Paths)
		}
	})
}

func TestDebounceRescan(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, stop := debouncer(50*time.Millisecond, nil)
		defer stop()
		in <- change{rel: "a.js"}
		in <- change{rescan: true}
		b := <-out
		if !b.Rescan || !slices.Equal(b.Paths, []string{"a.js"}) {
			t.Errorf("batch = %+v, want rescan with a.js", b)
		}
		in <- change{rel: "b.js"}
		if b := <-out; b.Rescan {
			t.Errorf("rescan carried over into the next batch: %+v", b)
		}
	})
}

func TestDebounceStopsOnCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, _, stop := debouncer(50*time.Millisecond, nil)
		in <- change{rel: "a.js"}
		time.Sleep(time.Second) // a batch waits for a consumer that never comes
		stop()                  // returns only once debounce has returned
	})
}
