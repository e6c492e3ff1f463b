//go:build linux

// Command bench measures reload beside nodemon, node-supervisor, air,
// node --watch and tsx watch (SPEC §5) and prints Markdown tables: on a
// generated 100k-file project, set-up, memory, idle, change → restart and
// bursts; then, with every tool running at once on a small app, save →
// served over HTTP for four kinds of save.
//
//	go run ./internal/cmd/bench              # every installed tool; make bench-peers installs the peers
//	go run ./internal/cmd/bench -tools reload,nodemon -runs 5 -saves 20
//	go run ./internal/cmd/bench -runs 0      # save → served only
//
// Progress goes to stderr, the table to stdout. Every process it starts is
// stopped by process group, and its temp folder is removed, even on Ctrl+C.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	if isShim() {
		os.Exit(shim())
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opt options
	spec := treeSpec{Fanout: 6}
	fs.IntVar(&opt.Runs, "runs", 3, "launches per tool on the big tree; figures are medians over them (0: skip the big tree)")
	fs.IntVar(&opt.Trials, "trials", 10, "change→restart latency trials per launch")
	fs.IntVar(&opt.Burst, "burst", 10000, "files written at once for the burst measurement")
	fs.DurationVar(&opt.Idle, "idle", 10*time.Second, "idle window for RSS and CPU")
	fs.DurationVar(&opt.Touch, "touch", 100*time.Millisecond, "interval between writes to the deepest file while waiting for ready")
	fs.DurationVar(&opt.Settle, "settle", 3*time.Second, "no app start for this long means restarts have settled")
	fs.DurationVar(&opt.Timeout, "timeout", 90*time.Second, "the longest any one wait may take (a tool's setup, a restart)")
	fs.DurationVar(&opt.Delay, "delay", 50*time.Millisecond, "debounce given to every tool that has one")
	fs.IntVar(&opt.Saves, "saves", 12, "save → served: saves of each kind per tool (0: skip it)")
	fs.IntVar(&opt.Storm, "storm", 2000, "save → served: files written by the storm save")
	fs.DurationVar(&opt.Every, "every", 5*time.Millisecond, "save → served: the client's interval between requests")
	fs.DurationVar(&opt.ServedSettle, "served-settle", 600*time.Millisecond, "save → served: no app start for this long ends a save (a polling tool gets its interval more)")
	fs.DurationVar(&opt.ServedTimeout, "served-timeout", 5*time.Second, "save → served: a save not served within this is missed, and its tool relaunched")
	fs.IntVar(&spec.Files, "files", 100000, "files in the project outside node_modules")
	fs.IntVar(&spec.Dirs, "dirs", 1500, "directories in the project outside node_modules")
	fs.IntVar(&spec.Modules, "modules", 20000, "files in node_modules")
	tools := fs.String("tools", strings.Join(toolNames, ","), "tools to measure, comma-separated")
	logs := fs.String("logs", "", "keep each tool's output in this folder (default: the temp folder, removed at the end)")
	prebuilt := fs.String("reload", "", "a reload binary to measure instead of building one from the repo")
	peers := fs.String("peers", "internal/cmd/bench/.peers", "where make bench-peers installed the peers (relative to the repo)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || opt.Runs < 0 || opt.Saves < 0 || opt.Runs+opt.Saves == 0 || opt.Trials < 1 || opt.Delay < 0 || opt.Every <= 0 || opt.Storm < 0 {
		fmt.Fprintln(stderr, "bench: takes flags only, with -trials at least 1, -runs and -saves at least 0 (not both 0) and -every above 0; see go run ./internal/cmd/bench -h")
		return 2
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	live := &liveSet{}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		<-sigs
		fmt.Fprintln(stderr, "bench: stopping (again to kill the tool at once)")
		cancel()
		<-sigs
		live.kill()
	}()

	err := bench(ctx, opt, spec, strings.Split(*tools, ","), *peers, *prebuilt, *logs, stdout, stderr, live)
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "bench: interrupted; everything it started is stopped and its temp folder removed")
		return 130
	}
	if err != nil {
		fmt.Fprintln(stderr, "bench: "+err.Error())
		return 1
	}
	return 0
}

// bench builds reload, makes the tree, runs every tool and prints the table.
func bench(ctx context.Context, opt options, spec treeSpec, want []string, peers, prebuilt, logs string, stdout, stderr io.Writer, live *liveSet) error {
	repo, err := repoRoot()
	if err != nil {
		return err
	}
	if !filepath.IsAbs(peers) {
		peers = filepath.Join(repo, peers)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return errors.New("node is not on PATH: every tool runs a Node app; install Node.js (apt-get install nodejs)")
	}
	if err := becomeSubreaper(); err != nil {
		return fmt.Errorf("become a child subreaper: %w", err)
	}
	work, err := os.MkdirTemp("", "reload-bench-")
	if err != nil {
		return err
	}
	defer func() {
		reapLeftovers()
		if err := os.RemoveAll(work); err != nil {
			fmt.Fprintf(stderr, "bench: removing %s: %v\n", work, err)
		}
	}()
	if logs == "" {
		logs = work
	} else if err := os.MkdirAll(logs, 0o755); err != nil {
		return err
	}
	progress := func(format string, a ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", a...) }

	bin := filepath.Join(work, "bin", "reload")
	if prebuilt != "" {
		if bin, err = filepath.Abs(prebuilt); err != nil {
			return err
		}
	} else if slices.Contains(want, "reload") {
		progress("building reload from %s", repo)
		// As the releases are built (.goreleaser.yaml, npm/build.js): static,
		// without cgo. A cgo build links libc and costs 1.4 MB more RSS.
		build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w -X main.version=bench", "-o", bin, ".")
		build.Dir, build.Stdout, build.Stderr = repo, stderr, stderr
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build (or give a binary with -reload): %w", err)
		}
	}
	built := repo
	if prebuilt != "" {
		built = ""
	}
	tools, missing := findTools(want, bin, built, peers)
	for _, m := range missing {
		progress("skipping %s", m)
	}

	shimDir := filepath.Join(work, "shim")
	if err := installShim(shimDir); err != nil {
		return fmt.Errorf("install the node shim: %w", err)
	}
	rep := report{Opt: opt, Spec: spec, Missing: missing, Date: time.Now(), NodeVersion: commandOutput(node, "--version")}
	loads := startLoadSampler()
	defer loads.stop()
	// The node shim's own timing, on a small app, before any tool runs.
	ws := workspace{Work: work, ShimDir: shimDir, Delay: opt.Delay, Node: node}
	{
		startLog := filepath.Join(work, "shim-starts.log")
		proj, err := genProject(filepath.Join(work, "shim-app"), startLog, 0)
		if err != nil {
			return err
		}
		ws.Tree, ws.StartLog, ws.Env = tree{Root: proj.Root}, startLog, append(shimEnv(shimDir, startLog, node), "PORT=0")
		if rep.Shim, err = shimStart(ctx, ws, 10, filepath.Join(logs, "node.log")); err != nil {
			return fmt.Errorf("time the node shim: %w", err)
		}
		ws.Shift, _ = median(rep.Shim.Origin)
	}

	if opt.Runs > 0 {
		progress("writing %d files in %d folders plus %d in node_modules", spec.Files, spec.Dirs, spec.Modules)
		t0 := time.Now()
		startLog := filepath.Join(work, "starts.log")
		tr, err := genTree(ctx, filepath.Join(work, "tree"), startLog, spec, opt.Trials)
		if err != nil {
			return fmt.Errorf("generate the tree: %w", err)
		}
		progress("tree ready in %s: %d files, %d folders; deepest file %s", time.Since(t0).Round(time.Millisecond), tr.Files, tr.Dirs, tr.Deepest)
		rep.Tree = tr
		ws.Tree, ws.StartLog, ws.Env = tr, startLog, append(shimEnv(shimDir, startLog, node), "PORT=0")
		rep.Tools = make([]toolResult, len(tools))
		for i, t := range tools {
			rep.Tools[i].Tool = t
		}
		// Runs go round the tools in turn, so slow drifts of the machine's
		// load fall on every tool alike.
		for run := range opt.Runs {
			for i, t := range tools {
				progress("%s run %d/%d", t.Name, run+1, opt.Runs)
				logPath := filepath.Join(logs, fmt.Sprintf("%s-%d.log", t.Key, run+1))
				r := runOnce(ctx, t, ws, opt, logPath, live)
				if ctx.Err() != nil {
					return ctx.Err()
				}
				progress("  %s", r.summary())
				rep.Tools[i].Runs = append(rep.Tools[i].Runs, r)
			}
		}
	}
	if opt.Saves > 0 {
		rep.Served = measureServed(ctx, tools, bin, ws, opt, logs, live, progress)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	rep.Load = loads.stop()
	rep.write(stdout)
	return nil
}

// repoRoot is the folder of the go.mod the bench was run in.
func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside the reload module; run it from the repo: go run ./internal/cmd/bench")
	}
	return filepath.Dir(mod), nil
}

// commandOutput is the first line a command prints, or "?".
func commandOutput(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "?"
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}
