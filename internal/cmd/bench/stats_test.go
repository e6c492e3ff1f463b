package main

import (
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []time.Duration
		want time.Duration
		ok   bool
	}{
		{nil, 0, false},
		{[]time.Duration{7}, 7, true},
		{[]time.Duration{9, 1, 5}, 5, true},
		{[]time.Duration{4, 1, 10, 2}, 3, true}, // mean of the middle two
		{[]time.Duration{-3, 8, -1}, -1, true},
	} {
		got, ok := median(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("median(%v) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	in := []int64{3, 1, 2}
	if m, _ := median(in); m != 2 || in[0] != 3 {
		t.Errorf("median(%v) = %d, or it reordered its input", in, m)
	}
}
