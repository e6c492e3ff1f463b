//go:build linux

package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
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
	Shim        shimTiming // the node shim run directly
	Tools       []toolResult
	Served      []servedResult
	Load        []float64 // the 1-minute load average, every 5 s
}

// row is one measure: its name, the SPEC §5 bar, and how to read it from runs.
type row struct {
	name, bar string
	cell      func(runs []runResult) string
}

func (rep report) rows() []row {
	o := rep.Opt
	return []row{
		{fmt.Sprintf("launch → restart caused by writing the deepest file (written every %v, or 2 delays if longer)", o.Touch), "—",
			durCell(fmtSec, func(r runResult) (time.Duration, bool) { return r.Ready, r.ReadyOK })},
		{"launch → watching set up (reload's `-v` \"watching\" line)", "≤ 150 ms",
			durCell(fmtMS, func(r runResult) (time.Duration, bool) { return r.Watching, r.ReadyOK && r.Watching > 0 })},
		{"launch → first app start", "—",
			durCell(fmtMS, func(r runResult) (time.Duration, bool) { return r.FirstStart, r.ReadyOK })},
		{"the same, less the tool's own save → start (below): set-up done, to within one write interval", "—",
			durCell(fmtMS, func(r runResult) (time.Duration, bool) { return r.setup() })},
		{"… ÷ the fastest peer's (all peers / peers that watch the whole tree)", "reload ≤ ⅕", rep.ratioCell},
		{"the tool's quiet period after a change (delay)", "—",
			durCell(fmtMS, func(r runResult) (time.Duration, bool) { return r.Delay, true })},
		{fmt.Sprintf("change → app started (node exec'd), beyond delay, median / p90 (%d writes per run)", o.Trials), "—", latencyCell(0)},
		{fmt.Sprintf("the same, less the node shim's own %s (measured apart)", fmtMS(rep.shimStamp())), "≤ 5 ms", latencyCell(rep.shimStamp())},
		{"peak RSS while setting up (VmHWM)", "≤ 15 MB",
			kbCell(func(r runResult) (int64, bool) { return r.HWMKB, r.ReadyOK })},
		{fmt.Sprintf("idle RSS (after %v idle)", o.Idle), "≤ 10 MB",
			kbCell(func(r runResult) (int64, bool) { return r.IdleRSSKB, r.IdleOK })},
		{"… of which anonymous (heap, stacks) / file-backed (the binary's pages), from smaps_rollup", "—", memSplitCell},
		{"the tool's other processes, not the app (reload: its watchdog): how many, idle RSS", "—", helpersCell},
		{fmt.Sprintf("CPU time over %v idle", o.Idle), "~0",
			durCell(fmtMS, func(r runResult) (time.Duration, bool) { return r.IdleCPU, r.IdleOK })},
		{fmt.Sprintf("restarts from %d files written at once (each run)", min(o.Burst, len(rep.Tree.Burst))), "exactly 1",
			burstNA(listCell(func(r runResult) (int, bool) { return r.Burst, r.BurstOK }))},
		{"time the bench took to write them (the tool competes for the CPU)", "—",
			burstNA(durCell(fmtMS, func(r runResult) (time.Duration, bool) { return r.BurstWrite, r.BurstOK }))},
		{"the longest of those writes (a pause over delay may rightly end a batch)", "—",
			burstNA(durCell(fmtMS, func(r runResult) (time.Duration, bool) { return r.BurstGap, r.BurstOK }))},
		{"last burst write → first restart, beyond delay (negative: before the writes ended)", "right after",
			burstNA(durCell(fmtMS, func(r runResult) (time.Duration, bool) { return r.BurstAfter, r.BurstOK }))},
		{"restarts from one more write after the burst (each run)", "1",
			burstNA(listCell(func(r runResult) (int, bool) { return r.Sentinel, r.SentinelOK }))},
	}
}

// shimStamp is the median time from exec to the node shim's timestamp.
func (rep report) shimStamp() time.Duration {
	m, _ := median(rep.Shim.Stamp)
	return m
}

// partial marks a median taken over fewer runs than were made.
func partial(got, runs int) string {
	if got == runs {
		return ""
	}
	return fmt.Sprintf(" (%d of %d runs)", got, runs)
}

// write prints the Markdown tables and the notes that make them reproducible.
func (rep report) write(w io.Writer) {
	if len(rep.Tools) > 0 {
		rep.writeTree(w)
	}
	if len(rep.Served) > 0 {
		rep.writeServed(w)
	}
	fmt.Fprintln(w, "### Machine and method")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "- Machine: %s; %d CPUs (nproc), %s, Linux %s; 1-minute load average during the run %s. Date: %s.\n",
		cpuModel(), runtime.NumCPU(), memTotal(), readTrim("/proc/sys/kernel/osrelease"), loadRange(rep.Load), rep.Date.UTC().Format("2006-01-02 15:04 MST"))
	boot, _ := median(rep.Shim.Boot)
	origin, _ := median(rep.Shim.Origin)
	fmt.Fprintf(w, "- Starts are timed and counted by a shim named `node`, first on every tool's PATH, that logs the time and execs the real node: a start counts even if the app is killed while node boots. The shim's clock reads %s after the bench's exec call (measured apart, median of %d: fork, exec and the shim's Go start-up; the \"less the node shim\" row subtracts it); node then needs %s to reach the app's first line (in no figure). node --watch and tsx watch run node by its absolute path, past the shim: their starts are the app's own performance.timeOrigin less %s (how much later it reads than the shim's stamp on a direct run). A write is timed just before it is made. Every tool was given delay %v where it has one.\n",
		fmtMS(rep.shimStamp()), len(rep.Shim.Stamp), fmtMS(boot), fmtMS(origin), rep.Opt.Delay)
	for _, t := range rep.tools() {
		fmt.Fprintf(w, "- %s %s: `%s`.", t.Name, t.Version, t.How)
		for _, tr := range rep.Tools {
			if tr.Tool.Key != t.Key {
				continue
			}
			extra, idle := 0, 0
			for _, r := range tr.Runs {
				extra += r.Extra
				idle += r.IdleStarts
			}
			if extra > 0 || idle > 0 {
				fmt.Fprintf(w, " Unasked restarts on the big tree: %d during the latency writes, %d while idle.", extra, idle)
			}
			for i, r := range tr.Runs {
				if r.Err != nil {
					fmt.Fprintf(w, " Big-tree run %d failed: %v.", i+1, r.Err)
				}
			}
		}
		fmt.Fprintln(w)
	}
	for _, m := range rep.Missing {
		fmt.Fprintf(w, "- Not measured: %s.\n", m)
	}
}

// tools lists every tool measured, in either part.
func (rep report) tools() []tool {
	var ts []tool
	seen := map[string]bool{}
	for _, tr := range rep.Tools {
		ts, seen[tr.Tool.Key] = append(ts, tr.Tool), true
	}
	for _, sr := range rep.Served {
		if !seen[sr.Tool.Key] {
			ts, seen[sr.Tool.Key] = append(ts, sr.Tool), true
		}
	}
	return ts
}

// writeTree prints the big-tree table.
func (rep report) writeTree(w io.Writer) {
	fmt.Fprintf(w, "### On a %d-file tree (%d in node_modules): set-up, memory, idle, restarts\n\n", rep.Tree.Files, rep.Spec.Modules)
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
	fmt.Fprintf(w, "- Tree: %d files in %d folders, of which %d files in node_modules; 60%% .js, the rest .json and .md; the deepest file is `%s`. App: `node index.js` (node %s), an HTTP server on 127.0.0.1; it loads value.js, the deepest file, the sentinel and the latency files (so tools that watch only what the app loads restart on them too), not the burst's.\n",
		rep.Tree.Files, rep.Tree.Dirs, rep.Spec.Modules, rep.Tree.Deepest, rep.NodeVersion)
	fmt.Fprintf(w, "- Runs go round the tools in turn. \"Ready\" writes the deepest file every %v from launch; set-up done is ready less the tool's own median save → start in that run. RSS and CPU are the tool's own process (for the Node tools, their node process), from /proc/<pid>/status, smaps_rollup and stat (CPU in 10 ms ticks).\n", rep.Opt.Touch)
	fmt.Fprintf(w, "- A burst's restarts are counted until no app start follows for %v; then one more file is written, which must restart the app once.\n\n", rep.Opt.Settle)
}

// loadRange is the least, median and most of the load samples.
func loadRange(xs []float64) string {
	if len(xs) == 0 {
		return loadAvg()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m, _ := median(s)
	return fmt.Sprintf("%.1f to %.1f (median %.1f, %d samples)", s[0], s[len(s)-1], m, len(s))
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
