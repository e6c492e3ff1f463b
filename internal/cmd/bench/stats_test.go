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

func TestPercentile(t *testing.T) {
	tenths := []int{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	for _, c := range []struct {
		in   []int
		p    float64
		want int
		ok   bool
	}{
		{nil, 90, 0, false},
		{[]int{7}, 90, 7, true},
		{tenths, 90, 9, true},  // 9 of 10 values are at or below 9
		{tenths, 91, 10, true}, // past 90%: the top one
		{tenths, 50, 5, true},
		{tenths, 100, 10, true},
		{[]int{3, 1, 2}, 90, 3, true},
		{[]int{3, 1, 2}, 0.1, 1, true},
	} {
		got, ok := percentile(c.in, c.p)
		if got != c.want || ok != c.ok {
			t.Errorf("percentile(%v, %v) = %v, %v; want %v, %v", c.in, c.p, got, ok, c.want, c.ok)
		}
	}
}
