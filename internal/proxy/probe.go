package proxy

import (
	"context"
	"net"
	"time"
)

// The readiness probe's schedule (see probeGap).
const (
	tightFor  = 2 * time.Second  // dial every millisecond at least this long after a start
	tightMax  = 10 * time.Second // and never longer, whatever the last start took
	slowAfter = 30 * time.Second // then an app that never listens is asked once a second
	tightGap  = time.Millisecond
	looseGap  = 20 * time.Millisecond
)

// probeGap is how long the probe waits before it dials the app again,
// elapsed after the app started; expect is how long the last start took to
// accept connections (0 when unknown). A held request is answered as soon
// as the probe sees the app accept, so the gap is what the proxy adds to a
// restart: one millisecond while the app is likely to come up — the first
// two seconds (most apps), or twice the last start's time (an app that
// compiles first, like go run) — and cheaper after that, for a worker that
// never listens. Nothing ticks while no start is pending.
func probeGap(elapsed, expect time.Duration) time.Duration {
	switch {
	case elapsed < min(max(tightFor, 2*expect), tightMax):
		return tightGap
	case elapsed < slowAfter:
		return looseGap
	}
	return time.Second
}

// probe dials the app until it accepts a connection (true, and how long
// that took) or ctx ends.
func (s *Server) probe(ctx context.Context, expect time.Duration) (time.Duration, bool) {
	d := net.Dialer{Timeout: time.Second}
	began := time.Now()
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		c, err := d.DialContext(ctx, "tcp", s.opts.Target)
		if err == nil {
			c.Close()
			return time.Since(began), true
		}
		t.Reset(probeGap(time.Since(began), expect))
		select {
		case <-ctx.Done():
			return 0, false
		case <-t.C:
		}
	}
}
