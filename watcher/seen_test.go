package watcher

import (
	"testing"
	"testing/synctest"
	"time"
)

// TestBatchSeenIsTheFirstChange: a batch says when its first change was
// seen (what "save to start" is measured from), and the next batch starts
// afresh.
func TestBatchSeenIsTheFirstChange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, stop := debouncer(50*time.Millisecond, nil)
		defer stop()
		first := time.Now()
		in <- change{rel: "a.js"}
		time.Sleep(30 * time.Millisecond)
		in <- change{rel: "b.js"}
		b := <-out
		if !b.Seen.Equal(first) {
			t.Errorf("Seen = %v; want the first change, %v", b.Seen.Sub(first), time.Duration(0))
		}
		time.Sleep(time.Second)
		second := time.Now()
		in <- change{rel: "c.js"}
		if b := <-out; !b.Seen.Equal(second) {
			t.Errorf("next batch's Seen is %v after its change; want 0", b.Seen.Sub(second))
		}
	})
}
