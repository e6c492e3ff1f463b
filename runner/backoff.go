package runner

import (
	"time"

	"github.com/reload-dev/reload/config"
)

// withDefaults fills zero fields from config.Default(), the one place the
// SPEC's defaults are written. A zero Initial would restart a crash loop
// with no pause at all, which is never what anyone wants.
func (b Backoff) withDefaults() Backoff {
	d := config.Default().Backoff
	if b.Initial <= 0 {
		b.Initial = d.Initial.Duration
	}
	if b.Max <= 0 {
		b.Max = d.Max.Duration
	}
	b.Max = max(b.Max, b.Initial)
	if b.ResetAfter <= 0 {
		b.ResetAfter = d.ResetAfter.Duration
	}
	return b
}

// next is the backoff policy, a pure function: given the crashes in a row so
// far and how long the app ran before this crash, it returns the new streak
// and the delay before restarting. An app that ran ResetAfter or longer
// starts a new streak. The delay is Initial * 2^(streak-1), capped at Max.
func (b Backoff) next(streak int, uptime time.Duration) (int, time.Duration) {
	if uptime >= b.ResetAfter {
		streak = 0
	}
	streak++
	d := b.Initial
	for i := 1; i < streak && d < b.Max; i++ {
		d *= 2 // stops at Max, so it cannot overflow
	}
	return streak, min(d, b.Max)
}
