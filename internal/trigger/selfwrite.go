package trigger

import "time"

// selfWriteStreak is how many starts in a row a path must change right
// after before SelfWrites names it.
const selfWriteStreak = 3

// SelfWrites spots an app that writes into a folder reload watches (a log,
// a cache, a database): the same path changing right after each of three
// starts in a row, so that each start causes the next. It names the path
// once. It is a plain value with no clock or goroutine of its own: its
// owner feeds it every start, from one goroutine.
type SelfWrites struct {
	window time.Duration
	last   time.Time      // the latest start; zero before the first
	streak map[string]int // path → starts in a row it changed right after
	warned bool
}

// NewSelfWrites counts a change as "right after" a start when the trigger
// it caused came within window of that start. The watcher reports a change
// after its quiet period, so window is the app's time to write (a second)
// plus the delay (and the poll interval, when polling).
func NewSelfWrites(window time.Duration) *SelfWrites {
	return &SelfWrites{window: window, streak: map[string]int{}}
}

// Started records a start at at, caused by a trigger that came at
// arrived with paths (nil for the first start, a crash restart, rs): those
// paths changed after the previous start. It returns the path to warn
// about, the first time one has changed right after selfWriteStreak starts
// in a row, and "" otherwise and ever after.
func (s *SelfWrites) Started(at, arrived time.Time, paths []string) string {
	quick := !s.last.IsZero() && arrived.Sub(s.last) < s.window
	s.last = at
	next := make(map[string]int, len(paths))
	if quick {
		for _, p := range paths {
			next[p] = s.streak[p] + 1
		}
	}
	s.streak = next
	if s.warned {
		return ""
	}
	for _, p := range paths { // sorted (Merge): the first is the same every run
		if next[p] >= selfWriteStreak {
			s.warned = true
			return p
		}
	}
	return ""
}
