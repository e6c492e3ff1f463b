package watcher

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"
)

// debouncer runs debounce inside the current bubble; the returned stop ends it.
func debouncer(delay time.Duration, exists func(string) bool) (in chan change, out chan Batch, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	in, out = make(chan change, 16), make(chan Batch)
	done := make(chan struct{})
	if exists == nil {
		exists = func(string) bool { return true }
	}
	go func() {
		defer close(done)
		debounce(ctx, in, delay, exists, out)
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

// batchAt fails unless the next batch comes exactly after (since the last
// event, which the caller sent just now) and holds paths; nothing may come
// 1ns earlier.
func batchAt(t *testing.T, out <-chan Batch, after time.Duration, paths ...string) {
	t.Helper()
	start := time.Now()
	if after > 0 {
		time.Sleep(after - time.Nanosecond)
		noBatch(t, out, fmt.Sprintf("1ns before %v", after))
	}
	b := <-out
	if got := time.Since(start); got != after {
		t.Errorf("batch came %v after the last event, want exactly %v", got, after)
	}
	if !slices.Equal(b.Paths, paths) || b.Rescan {
		t.Errorf("batch = %+v, want paths %q and no rescan", b, paths)
	}
}

const testDelay = 50 * time.Millisecond

func TestDebounceLoneSaveAfterSettle(t *testing.T) {
	for _, tc := range []struct {
		name   string
		events []change // all sent at one instant, as one save's events arrive
		want   []string
	}{
		{"one event", []change{{rel: "app.js"}}, []string{"app.js"}},
		{"truncate and write", []change{{rel: "app.js"}, {rel: "app.js"}}, []string{"app.js"}},
		{"atomic save", []change{
			{rel: ".app.js.tmp", created: true}, {rel: ".app.js.tmp"}, // temp written, renamed away
			{rel: ".app.js.tmp"}, {rel: "app.js", created: true}, // over the real file
		}, []string{"app.js"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				in, out, stop := debouncer(testDelay, func(p string) bool { return p == "app.js" })
				defer stop()
				for _, c := range tc.events {
					in <- c
				}
				batchAt(t, out, settle, tc.want...)
				time.Sleep(time.Hour)
				noBatch(t, out, "an hour later")
			})
		})
	}
}

func TestDebounceSaveSpreadWithinTogetherIsStillLone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, stop := debouncer(testDelay, nil)
		defer stop()
		in <- change{rel: "app.js"}
		time.Sleep(together - time.Nanosecond)
		in <- change{rel: "app.js"}
		batchAt(t, out, settle, "app.js") // settle after the last event
	})
}

func TestDebounceSecondEventWithinSettleWaitsDelay(t *testing.T) {
	for _, tc := range []struct {
		name   string
		second string
		gap    time.Duration
		want   []string
	}{
		{"same path written again", "a.js", together, []string{"a.js"}},
		{"another path", "b.js", 2 * time.Millisecond, []string{"a.js", "b.js"}},
		{"just before settle", "b.js", settle - time.Nanosecond, []string{"a.js", "b.js"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				in, out, stop := debouncer(testDelay, nil)
				defer stop()
				in <- change{rel: "a.js"}
				time.Sleep(tc.gap)
				noBatch(t, out, "before the second event")
				in <- change{rel: tc.second}
				batchAt(t, out, testDelay, tc.want...)
			})
		})
	}
}

func TestDebounceSeveralFilesAtOnceWaitDelay(t *testing.T) {
	for _, tc := range []struct {
		name   string
		events []change // all sent at one instant
		want   []string
	}{
		{"two files", []change{{rel: "a.js"}, {rel: "b.js"}}, []string{"a.js", "b.js"}},
		{"a file and a new one still there", []change{{rel: "a.js"}, {rel: "a.js.new", created: true}}, []string{"a.js", "a.js.new"}},
		{"lost events", []change{{rescan: true}}, nil},
		{"a file removed", []change{{rel: "gone.js"}}, []string{"gone.js"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				in, out, stop := debouncer(testDelay, func(rel string) bool { return rel != "gone.js" })
				defer stop()
				for _, c := range tc.events {
					in <- c
				}
				time.Sleep(testDelay - time.Nanosecond)
				noBatch(t, out, "1ns before delay")
				b := <-out
				if !slices.Equal(b.Paths, tc.want) || b.Rescan != (tc.want == nil) {
					t.Errorf("batch = %+v, want paths %q", b, tc.want)
				}
			})
		})
	}
}

func TestDebounceEventAfterSettleIsNextBatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, stop := debouncer(testDelay, nil)
		defer stop()
		in <- change{rel: "a.js"}
		batchAt(t, out, settle, "a.js")
		in <- change{rel: "b.js"} // a new batch: lone again, not a burst
		batchAt(t, out, settle, "b.js")
	})
}

func TestDebounceChunkedWriteIsOneBatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, stop := debouncer(testDelay, nil)
		defer stop()
		// 5 MB in 64 KB chunks, 1ms apart: the app must not see it half written.
		in <- change{rel: "big.bin", created: true}
		for range 80 {
			in <- change{rel: "big.bin"}
			time.Sleep(time.Millisecond)
			noBatch(t, out, "while the file is written")
		}
		in <- change{rel: "big.bin"}
		batchAt(t, out, testDelay, "big.bin")
	})
}

func TestDebounceSaveAllIsOneBatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, stop := debouncer(testDelay, nil)
		defer stop()
		files := []string{"a.js", "b.js", "c.js", "d.js", "e.js"}
		for i, f := range files {
			if i > 0 {
				time.Sleep(2 * time.Millisecond)
			}
			in <- change{rel: f}
			in <- change{rel: f} // truncate and write
		}
		batchAt(t, out, testDelay, files...)
	})
}

func TestDebounceBurstIsOneBatchDelayAfterLast(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, stop := debouncer(testDelay, nil)
		defer stop()
		in <- change{rel: "b.js"}
		time.Sleep(2 * time.Millisecond) // within settle: a burst
		for _, p := range []string{"a.js", "b.js", "c.js"} {
			in <- change{rel: p}
			time.Sleep(testDelay - time.Millisecond) // gaps far past settle, short of delay
			noBatch(t, out, "during the burst")
		}
		in <- change{rel: "d.js"}
		batchAt(t, out, testDelay, "a.js", "b.js", "c.js", "d.js")
		time.Sleep(time.Hour)
		noBatch(t, out, "an hour later")
	})
}

func TestDebounceDelayBelowSettle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const delay = 3 * time.Millisecond
		in, out, stop := debouncer(delay, nil)
		defer stop()
		in <- change{rel: "a.js"}
		batchAt(t, out, delay, "a.js") // settle is cut to delay
		in <- change{rel: "b.js"}
		time.Sleep(2 * time.Millisecond)
		in <- change{rel: "c.js"}
		batchAt(t, out, delay, "b.js", "c.js") // and a burst waits delay, as ever
	})
}

func TestDebounceSlowConsumerGetsEverythingInOneBatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, stop := debouncer(testDelay, nil)
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
		batchAt(t, out, testDelay, "x.js", "y.js")

		// A change that joins a lone save's batch while it waits is a burst.
		in <- change{rel: "p.js"}
		time.Sleep(settle + time.Millisecond)
		in <- change{rel: "q.js"}
		batchAt(t, out, testDelay, "p.js", "q.js")
	})
}

func TestDebounceIdleSendsNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, out, stop := debouncer(testDelay, nil)
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
		batchAt(t, out, 0, "a", "b", "c")
		in <- change{rel: "d"}
		batchAt(t, out, 0, "d")
	})
}

func TestDebounceDropsTempFilesKeepsDeletes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		existing := map[string]bool{"app.js": true, "new.js": true, "sentinel.js": true}
		in, out, stop := debouncer(testDelay, func(p string) bool { return existing[p] })
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
		in <- change{rel: "sentinel.js"} // and the next save is lone, not part of a burst
		batchAt(t, out, settle, "sentinel.js")
	})
}

func TestDebounceTempFileRenamedInALaterBatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		existing := map[string]bool{"app.js": true}
		in, out, stop := debouncer(testDelay, func(p string) bool { return existing[p] })
		defer stop()
		// sed -i's events, late: the temp file is already renamed over
		// app.js when the batch of its create is built, and the rest come
		// in two more batches.
		in <- change{rel: "sedXYZ", created: true}
		time.Sleep(time.Second)
		noBatch(t, out, "after the temp file's create")
		in <- change{rel: "sedXYZ"} // written
		time.Sleep(time.Second)
		noBatch(t, out, "after the temp file's write")
		in <- change{rel: "sedXYZ"}                // renamed away: not a deletion
		in <- change{rel: "app.js", created: true} // over the real file
		batchAt(t, out, settle, "app.js")

		in <- change{rel: "gone.js"} // a file that was there before: its deletion counts, after delay
		batchAt(t, out, testDelay, "gone.js")
		in <- change{rel: "sedXYZ"} // temp files are kept only into the next batch: now it is a deletion
		batchAt(t, out, testDelay, "sedXYZ")
	})
}

func TestDebounceRescan(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, stop := debouncer(testDelay, nil)
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
		in, _, stop := debouncer(testDelay, nil)
		in <- change{rel: "a.js"}
		time.Sleep(time.Second) // a batch waits for a consumer that never comes
		stop()                  // returns only once debounce has returned
	})
}
