package main

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// number is what median can average.
type number interface {
	~int | ~int64 | ~float64
}

// median is the middle value of xs (the mean of the two middle ones for an
// even count); ok is false for no values.
func median[T number](xs []T) (m T, ok bool) {
	if len(xs) == 0 {
		return m, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2], true
	}
	return (s[n/2-1] + s[n/2]) / 2, true
}

// percentile is the nearest-rank p-th percentile of xs (p in (0, 100]):
// the smallest value that p% of them are at or below; ok is false for no values.
func percentile[T number](xs []T, p float64) (v T, ok bool) {
	if len(xs) == 0 {
		return v, false
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	k := int(math.Ceil(p / 100 * float64(len(s))))
	return s[min(max(k, 1), len(s))-1], true
}

// fmtMS prints a duration in milliseconds: one decimal below 10 ms, none above.
func fmtMS(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	if ms < 10 && ms > -10 {
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.0f ms", ms)
}

// fmtSec prints a duration in seconds, two decimals.
func fmtSec(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

// fmtMB prints kibibytes as megabytes (10⁶ bytes, as the SPEC's bars are written).
func fmtMB(kb int64) string { return fmt.Sprintf("%.1f MB", float64(kb)*1024/1e6) }
