//go:build linux

package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

// toolResult is every run of one tool.
type toolResult struct {
	Tool tool
	Runs []runResult
}

// report is everything the table and its notes are made from.
type report struct {
	Opt         options
	Spec        treeSpec
	Tree        tree
	Missing     []string
	Date        time.Time
	NodeVersion string
	ShimStamp   []time.Duration // exec → the node shim's timestamp, run directly
	NodeBoot    []time.Duration // the shim's timestamp → the app's first line
	Tools       []toolResult
}

// row is one measure: its name, the SPEC §5 bar, and how to read it from runs.
type row struct {
	name, bar string
	cell      func(runs []runResult) string
}

func (rep report) rows() []row {
	o := rep.Opt
	return []row{
		{fmt.Sprintf("launch → restart caused by writing the deepest file (written every %v)", o.Touch), "—",
			durCell(fmtSec, func(r runResult) (time.Duration, bool) { return r.Ready, r.ReadyOK })},
		{"launch → watching set up (reload's `-v` \"watching\" line)", "≤ 150 ms",
			durCell(fmtMS, func(r runResult) (time.Duration, bool) { return r.Watching, r.ReadyOK && r.Watching > 0 })},
		{"launch → first app start", "—",
			durCell(fmtMS, func(r runResult) (time.Duration, bool) { return r.FirstStart, r.ReadyOK })},
		{fmt.Sprintf("change → app started (node exec'd), beyond delay (%d writes per run)", o.Trials), "—", latencyCell(0)},
		{fmt.Sprintf("the same, less the node shim's own %s (measured apart)", fmtMS(rep.shimStamp())), "≤ 5 ms", latencyCell(rep.shimStamp())},
		{"peak RSS while setting up (VmHWM)", "≤ 15 MB",
			kbCell(func(r runResult) (int64, bool) { return r.HWMKB, r.ReadyOK })},
		{fmt.Sprintf("idle RSS (after %v idle)", o.Idle), "≤ 10 MB",
			kbCell(func(r runResult) (int64, bool) { return r.IdleRSSKB, r.IdleOK })},
		{fmt.Sprintf("CPU time over %v idle", o.Idle), "~0",
			durCell(fmtMS, func(r runResult) (time.Duration, bool) { return r.IdleCPU, r.IdleOK })},
		{fmt.Sprintf("restarts from %d files written at once (each run)", min(o.Burst, len(rep.Tree.Burst))), "exactly 1",
			listCell(func(r runResult) (int, bool) { return r.Burst, r.BurstOK })},
		{"time the bench took to write them (the tool competes for the CPU)", "—",
			durCell(fmtMS, func(r runResult) (time.Duration, bool) { return r.BurstWrite, r.BurstOK })},
		{"the longest of those writes (a pause over delay may rightly end a batch)", "—",
			durCell(fmtMS, func(r runResult) (time.Duration, bool) { return r.BurstGap, r.BurstOK })},
		{"last burst write → first restart, beyond delay (negative: before the writes ended)", "right after",
			durCell(fmtMS, func(r runResult) (time.Duration, bool) { return r.BurstAfter, r.BurstOK })},
		{"restarts from one more write after the burst (each run)", "1",
			listCell(func(r runResult) (int, bool) { return r.Sentinel, r.SentinelOK })},
	}
}

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
		return fmt.Sprintf("%s (n=%d)", fmtMS(m-own), len(xs))
	}
}

// shimStamp is the median time from exec to the node shim's timestamp.
func (rep report) shimStamp() time.Duration {
	m, _ := median(rep.ShimStamp)
	return m
}

// partial marks a median taken over fewer runs than were made.
func partial(got, runs int) string {
	if got == runs {
		return ""
	}
	return fmt.Sprintf(" (%d of %d runs)", got, runs)
}

// write prints the Markdown table and the notes that make it reproducible.
func (rep report) write(w io.Writer) {
	fmt.Fprintf(w, "| medians over %d runs | SPEC §5 bar |", rep.Opt.Runs)
	for _, t := range rep.Tools {
		fmt.Fprintf(w, " %s %s |", t.Tool.Name, t.Tool.Version)
	}
	fmt.Fprint(w, "\n|---|---|")
	for range rep.Tools {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	for _, r := range rep.rows() {
		fmt.Fprintf(w, "| %s | %s |", r.name, r.bar)
		for _, t := range rep.Tools {
			fmt.Fprintf(w, " %s |", r.cell(t.Runs))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "- Machine: %s; %d CPUs (nproc), %s, Linux %s; load average at the end %s. Date: %s.\n",
		cpuModel(), runtime.NumCPU(), memTotal(), readTrim("/proc/sys/kernel/osrelease"), loadAvg(), rep.Date.UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "- Tree: %d files in %d folders, of which %d files in node_modules; 60%% .js, the rest .json and .md; the deepest file is `%s`. App: `node index.js` (node %s), an HTTP server on 127.0.0.1.\n",
		rep.Tree.Files, rep.Tree.Dirs, rep.Spec.Modules, rep.Tree.Deepest, rep.NodeVersion)
	boot, _ := median(rep.NodeBoot)
	fmt.Fprintf(w, "- Starts are timed and counted by a shim named `node`, first on every tool's PATH, that logs the time and execs the real node: a start counts even if the app is killed while node boots. The shim's clock reads %s after the bench's exec call (measured apart, median of %d: fork, exec and the shim's Go start-up; the second latency row subtracts it); node then needs %s to reach the app's first line (in no figure). A write is timed just before it is made. Every tool was given delay %v where it has one.\n",
		fmtMS(rep.shimStamp()), len(rep.ShimStamp), fmtMS(boot), rep.Opt.Delay)
	fmt.Fprintln(w, "- RSS and CPU are the tool's own process (for nodemon and supervisor, their node process), from /proc/<pid>/status and /proc/<pid>/stat (CPU in 10 ms ticks).")
	fmt.Fprintf(w, "- A burst's restarts are counted until no app start follows for %v; then one more file is written, which must restart the app once.\n", rep.Opt.Settle)
	for _, t := range rep.Tools {
		fmt.Fprintf(w, "- %s: `%s`.", t.Tool.Name, t.Tool.How)
		extra, idle := 0, 0
		for _, r := range t.Runs {
			extra += r.Extra
			idle += r.IdleStarts
		}
		if extra > 0 || idle > 0 {
			fmt.Fprintf(w, " Unasked restarts: %d during the latency writes, %d while idle.", extra, idle)
		}
		for i, r := range t.Runs {
			if r.Err != nil {
				fmt.Fprintf(w, " Run %d failed: %v.", i+1, r.Err)
			}
		}
		fmt.Fprintln(w)
	}
	for _, m := range rep.Missing {
		fmt.Fprintf(w, "- Not measured: %s.\n", m)
	}
}

// summary is one progress line for a run.
func (r runResult) summary() string {
	watching := "—"
	if r.Watching > 0 {
		watching = fmtMS(r.Watching)
	}
	s := fmt.Sprintf("ready %s (watching %s, first start %s), peak %s, idle %s %s CPU, latency %s, burst %d restarts (+%s, writes %s, longest %s), sentinel %d, stop %s",
		fmtSec(r.Ready), watching, fmtMS(r.FirstStart), fmtMB(r.HWMKB), fmtMB(r.IdleRSSKB), fmtMS(r.IdleCPU),
		latencyCell(0)([]runResult{r}), r.Burst, fmtMS(r.BurstAfter), fmtMS(r.BurstWrite), fmtMS(r.BurstGap), r.Sentinel, fmtMS(r.Stop))
	if r.Err != nil {
		s += "; failed: " + r.Err.Error()
	}
	return s
}

func readTrim(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(b))
}

func cpuModel() string {
	for _, l := range strings.Split(readTrim("/proc/cpuinfo"), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func memTotal() string {
	for _, l := range strings.Split(readTrim("/proc/meminfo"), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && k == "MemTotal" {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
			return fmt.Sprintf("%.0f GiB RAM", float64(kb)/(1<<20))
		}
	}
	return "? RAM"
}

func loadAvg() string {
	f := strings.Fields(readTrim("/proc/loadavg"))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
