package proxy

import (
	"testing"
	"time"
)

// TestProbeGap: the probe dials every millisecond while the app is likely
// to come up, so a restart behind the proxy costs about a millisecond more
// than one served directly, and less often once that is unlikely.
func TestProbeGap(t *testing.T) {
	t.Parallel()
	const ms = time.Millisecond
	for _, tc := range []struct {
		elapsed, expect, want time.Duration
	}{
		{0, 0, ms},
		{15 * ms, 0, ms}, // where a doubling back-off would already wait 16 ms
		{60 * ms, 40 * ms, ms},
		{1999 * ms, 0, ms},
		{2 * time.Second, 0, 20 * ms},
		{5 * time.Second, 3 * time.Second, ms}, // go run compiles for 3 s: stay tight past it
		{6 * time.Second, 3 * time.Second, 20 * ms},
		{9 * time.Second, time.Minute, ms},
		{10 * time.Second, time.Minute, 20 * ms}, // bounded, whatever the last start took
		{30 * time.Second, 0, time.Second},
	} {
		if got := probeGap(tc.elapsed, tc.expect); got != tc.want {
			t.Errorf("probeGap(%v, %v) = %v; want %v", tc.elapsed, tc.expect, got, tc.want)
		}
	}
}
