//go:build linux

package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// writeServed prints one table per kind of save, then how reload's proxy
// and reload itself compare.
func (rep report) writeServed(w io.Writer) {
	o := rep.Opt
	fmt.Fprintf(w, "### Save → served: every tool running at once, %d saves of each kind per tool, interleaved\n\n", o.Saves)
	for kind := range numKinds {
		title := kind.String()
		if kind == saveStorm {
			title = fmt.Sprintf("storm: %d files the app does not load, then value.js", o.Storm)
		}
		fmt.Fprintf(w, "#### %s\n\n", title)
		fmt.Fprintf(w, "| tool | delay | save → new app started, median / p90 | save → new value served, median / p90 | failed requests: all saves (saves with any) | restarts per save | saves not served within %v |\n", o.ServedTimeout)
		fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
		for _, r := range rep.Served {
			if r.Note != "" && len(r.Saves[kind]) == 0 {
				fmt.Fprintf(w, "| %s | — | — | — | — | — | — |\n", r.Label)
				continue
			}
			var saves []servedSave
			missed := 0
			for _, s := range r.Saves[kind] {
				if s.Missed {
					missed++
				} else {
					saves = append(saves, s)
				}
			}
			started := durStats(saves, func(s servedSave) time.Duration { return s.Started })
			if r.Warm {
				started = "— (started before the save)"
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %d of %d |\n", r.Label, fmtMS(r.Tool.delay(workspace{Delay: o.Delay})), started,
				durStats(saves, func(s servedSave) time.Duration { return s.Served }), failedCell(saves), restartsCell(saves), missed, len(r.Saves[kind]))
		}
		fmt.Fprintln(w)
	}
	rep.writeServedSummary(w)
	fmt.Fprintf(w, "- Each tool runs its own copy of a small app: index.js loads value.js (`module.exports = N`) and p1.js…p4.js at start and serves HTTP on a free 127.0.0.1 port, answering N; storm/ holds %d .js files it does not load. A client sends a GET every %v, each on a new connection; a save is timed from just before its last write (value.js, always written last) to the first answer with the new N. Failed requests are those that ended after the write and were sent before that answer, with no answer, a reset, a timeout, a 5xx or anything but the app's number. A save ends when no app start follows for %v (a polling tool: its interval more). A save not served within %v is missed: its tool is relaunched (at most %d times) and the saves go on.\n",
		o.Storm, o.Every, o.ServedSettle, o.ServedTimeout, maxRelaunches(o))
	fmt.Fprintln(w, "- node --watch and tsx watch restart on the files the app loads only: the storm's files are nothing to them, so their storm row is value.js alone.")
	for _, r := range rep.Served {
		if len(r.Missed) > 0 {
			fmt.Fprintf(w, "- %s missed %d saves (each time relaunched): %s.\n", r.Label, len(r.Missed), strings.Join(r.Missed, "; "))
		}
		if r.Note != "" {
			fmt.Fprintf(w, "- %s: %s.\n", r.Label, r.Note)
		}
	}
	fmt.Fprintln(w)
}

// writeServedSummary compares reload --proxy with reload, and reload with
// nodemon, kind by kind.
func (rep report) writeServedSummary(w io.Writer) {
	find := func(label string) *servedResult {
		for i := range rep.Served {
			if rep.Served[i].Label == label {
				return &rep.Served[i]
			}
		}
		return nil
	}
	stats := func(r *servedResult, k saveKind, get func(servedSave) time.Duration) (m, p time.Duration, ok bool) {
		if r == nil {
			return 0, 0, false
		}
		var xs []time.Duration
		for _, s := range r.Saves[k] {
			if !s.Missed {
				xs = append(xs, get(s))
			}
		}
		m, ok = median(xs)
		p, _ = percentile(xs, 90)
		return m, p, ok
	}
	served := func(r *servedResult, k saveKind) (time.Duration, time.Duration, bool) {
		return stats(r, k, func(s servedSave) time.Duration { return s.Served })
	}
	// afterStart leaves out the watcher and the stop: what the proxy adds
	// shows with less noise in it.
	afterStart := func(r *servedResult, k saveKind) (time.Duration, time.Duration, bool) {
		return stats(r, k, func(s servedSave) time.Duration { return s.Served - s.Started })
	}
	var nodemon *servedResult
	for i := range rep.Served {
		if rep.Served[i].Tool.Key == "nodemon" {
			nodemon = &rep.Served[i]
		}
	}
	pairs := []struct{ what, a, b string }{
		{"--proxy costs (reload --proxy − reload)", "reload --proxy", "reload"},
		{"--warm --proxy costs (reload --warm --proxy − reload --warm)", "reload --warm --proxy", "reload --warm"},
	}
	for _, pr := range pairs {
		a, b := find(pr.a), find(pr.b)
		var cells []string
		for k := range numKinds {
			am, ap, ok1 := served(a, k)
			bm, bp, ok2 := served(b, k)
			if ok1 && ok2 {
				cells = append(cells, fmt.Sprintf("%s %s median, %s p90", k, signedMS(am-bm), signedMS(ap-bp)))
			}
		}
		if len(cells) > 0 {
			fmt.Fprintf(w, "- Save → served, %s: %s.\n", pr.what, strings.Join(cells, "; "))
		}
		cells = nil
		for k := range numKinds {
			if a == nil || a.Warm { // a warm app started before the save
				break
			}
			am, _, ok1 := afterStart(a, k)
			bm, _, ok2 := afterStart(b, k)
			if ok1 && ok2 {
				cells = append(cells, fmt.Sprintf("%s %s (%s vs %s)", k, signedMS(am-bm), fmtMS(am), fmtMS(bm)))
			}
		}
		if len(cells) > 0 {
			fmt.Fprintf(w, "- New app started → new value served, medians, the same difference: %s.\n", strings.Join(cells, "; "))
		}
	}
	if nodemon == nil {
		return
	}
	for _, label := range []string{"reload", "reload --proxy", "reload --warm", "reload --warm --proxy"} {
		r := find(label)
		var cells []string
		for k := range numKinds {
			rm, _, ok1 := served(r, k)
			nm, _, ok2 := served(nodemon, k)
			if ok1 && ok2 && nm > 0 {
				cells = append(cells, fmt.Sprintf("%s %.2f×", k, float64(rm)/float64(nm)))
			}
		}
		if len(cells) > 0 {
			fmt.Fprintf(w, "- Save → served, %s ÷ nodemon (medians): %s.\n", label, strings.Join(cells, "; "))
		}
	}
}

// durStats is "median / p90" of one duration over saves.
func durStats(saves []servedSave, get func(servedSave) time.Duration) string {
	xs := make([]time.Duration, len(saves))
	for i, s := range saves {
		xs[i] = get(s)
	}
	m, ok := median(xs)
	if !ok {
		return "—"
	}
	p, _ := percentile(xs, 90)
	return fmt.Sprintf("%s / %s", fmtMS(m), fmtMS(p))
}

// failedCell is the failed requests of every save, and how many saves had any.
func failedCell(saves []servedSave) string {
	if len(saves) == 0 {
		return "—"
	}
	total, with := 0, 0
	for _, s := range saves {
		total += s.Failed
		if s.Failed > 0 {
			with++
		}
	}
	return fmt.Sprintf("%d (%d of %d)", total, with, len(saves))
}

// restartsCell counts saves by the restarts they caused: "1 ×11, 2 ×1".
func restartsCell(saves []servedSave) string {
	if len(saves) == 0 {
		return "—"
	}
	count := map[int]int{}
	for _, s := range saves {
		count[s.Restarts]++
	}
	var keys []int
	for k := range count {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	cells := make([]string, len(keys))
	for i, k := range keys {
		cells[i] = fmt.Sprintf("%d ×%d", k, count[k])
	}
	return strings.Join(cells, ", ")
}

// signedMS is fmtMS with a sign.
func signedMS(d time.Duration) string {
	if d >= 0 {
		return "+" + fmtMS(d)
	}
	return fmtMS(d)
}
