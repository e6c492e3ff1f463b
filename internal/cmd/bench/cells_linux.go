//go:build linux

package main

import (
	"fmt"
	"strings"
	"time"
)

// durCell is the median of one duration over the runs that measured it.
func durCell(f func(time.Duration) string, get func(runResult) (time.Duration, bool)) func([]runResult) string {
	return func(runs []runResult) string {
		var xs []time.Duration
		for _, r := range runs {
			if d, ok := get(r); ok {
				xs = append(xs, d)
			}
		}
		m, ok := median(xs)
		if !ok {
			return "—"
		}
		return f(m) + partial(len(xs), len(runs))
	}
}

func kbCell(get func(runResult) (int64, bool)) func([]runResult) string {
	return func(runs []runResult) string {
		var xs []int64
		for _, r := range runs {
			if kb, ok := get(r); ok {
				xs = append(xs, kb)
			}
		}
		m, ok := median(xs)
		if !ok {
			return "—"
		}
		return fmtMB(m) + partial(len(xs), len(runs))
	}
}

func listCell(get func(runResult) (int, bool)) func([]runResult) string {
	return func(runs []runResult) string {
		var s []string
		for _, r := range runs {
			if n, ok := get(r); ok {
				s = append(s, fmt.Sprint(n))
			}
		}
		if len(s) == 0 {
			return "—"
		}
		return strings.Join(s, ", ")
	}
}

// latencyCell pools every trial of every run, less own.
func latencyCell(own time.Duration) func([]runResult) string {
	return func(runs []runResult) string {
		var xs []time.Duration
		for _, r := range runs {
			xs = append(xs, r.Latency...)
		}
		m, ok := median(xs)
		if !ok {
			return "—"
		}
		p, _ := percentile(xs, 90)
		return fmt.Sprintf("%s / %s (n=%d)", fmtMS(m-own), fmtMS(p-own), len(xs))
	}
}

// setup is Ready less the tool's own median save → start in that run:
// about when the watch on the deepest file was in place (the write that
// found it came at most one -touch interval after).
func (r runResult) setup() (time.Duration, bool) {
	m, ok := median(r.Latency)
	if !r.ReadyOK || !ok {
		return 0, false
	}
	return r.Ready - m - r.Delay, true
}

// medianSetup is the median of setup over a tool's runs.
func medianSetup(runs []runResult) (time.Duration, bool) {
	var xs []time.Duration
	for _, r := range runs {
		if d, ok := r.setup(); ok {
			xs = append(xs, d)
		}
	}
	return median(xs)
}

// ratioCell divides a tool's set-up by the fastest peer's (the tools
// other than reload), then by the fastest peer's that watches the tree.
func (rep report) ratioCell(runs []runResult) string {
	mine, ok := medianSetup(runs)
	if !ok {
		return "—"
	}
	var all, tree time.Duration
	var allName, treeName string
	for _, t := range rep.Tools {
		d, ok := medianSetup(t.Runs)
		if t.Tool.Key == "reload" || !ok || d <= 0 {
			continue
		}
		if all == 0 || d < all {
			all, allName = d, t.Tool.Name
		}
		if !t.Tool.ImportsOnly && (tree == 0 || d < tree) {
			tree, treeName = d, t.Tool.Name
		}
	}
	ratio := func(d time.Duration, name string) string {
		if d == 0 {
			return "—"
		}
		return fmt.Sprintf("%.2f× (%s)", float64(mine)/float64(d), name)
	}
	return ratio(all, allName) + " / " + ratio(tree, treeName)
}

// memSplitCell is the median anonymous and file-backed idle RSS.
func memSplitCell(runs []runResult) string {
	var anon, file []int64
	for _, r := range runs {
		if r.IdleOK {
			anon, file = append(anon, r.AnonKB), append(file, r.FileKB)
		}
	}
	a, ok := median(anon)
	if !ok {
		return "—"
	}
	f, _ := median(file)
	return fmtMB(a) + " / " + fmtMB(f)
}

// helpersCell is the median count and RSS of a tool's helper processes.
func helpersCell(runs []runResult) string {
	var n []int
	var kb []int64
	for _, r := range runs {
		if r.IdleOK {
			n, kb = append(n, r.Helpers), append(kb, r.HelpersKB)
		}
	}
	c, ok := median(n)
	if !ok {
		return "—"
	}
	if c == 0 {
		return "none"
	}
	m, _ := median(kb)
	return fmt.Sprintf("%d, %s", c, fmtMB(m))
}

// burstNA marks the burst rows of a tool that watches only what the app
// loads: the burst writes files it never looks at.
func burstNA(cell func([]runResult) string) func([]runResult) string {
	return func(runs []runResult) string {
		if len(runs) > 0 && runs[0].BurstNA {
			return "n/a (watches loaded files only)"
		}
		return cell(runs)
	}
}
