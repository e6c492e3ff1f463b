//go:build unix

// Command warmbench measures one save → the new app's first line, for
// reload (cold), reload --warm and nodemon (when installed), on a small
// node HTTP app: SPEC §5's bar is --warm at or under half of nodemon's.
//
//	go run ./internal/cmd/warmbench              # 12 saves per tool, medians
//	go run ./internal/cmd/warmbench -runs 20 -settle 1s -reload-args "--delay 0s"
//
// Each save rewrites value.js and times until the app prints the new
// value (the app prints one line once it listens). Between saves it waits
// -settle, as a person would, so a warm start has its node waiting.
// nodemon is looked for in internal/cmd/bench/.peers (make bench-peers),
// then on PATH. Every process it starts is stopped by process group.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

const app = `const value = require('./value.js');
require('http').createServer((q, s) => s.end(String(value))).listen(0, '127.0.0.1', () => {
  console.log('ready value=' + value);
});
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("warmbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	runs := fs.Int("runs", 12, "saves per tool; figures are medians over them")
	settle := fs.Duration("settle", 700*time.Millisecond, "wait after the app's line before the next save")
	reload := fs.String("reload", "", "a reload binary (default: build one from this repo)")
	nodemon := fs.String("nodemon", "", "a nodemon binary (default: internal/cmd/bench/.peers, then PATH)")
	extra := fs.String("reload-args", "", `more flags for both reload runs, e.g. "--delay 0s"`)
	if err := fs.Parse(args); err != nil || *runs < 1 {
		return 2
	}
	if _, err := exec.LookPath("node"); err != nil {
		fmt.Fprintln(stderr, "warmbench: node is not on PATH")
		return 1
	}
	tmp, err := os.MkdirTemp("", "warmbench-")
	if err != nil {
		fmt.Fprintln(stderr, "warmbench:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	if *reload == "" {
		*reload = filepath.Join(tmp, "reload")
		build := exec.Command("go", "build", "-o", *reload, "github.com/reload-dev/reload")
		build.Stdout, build.Stderr = stderr, stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(stderr, "warmbench: building reload:", err)
			return 1
		}
	}
	if *nodemon == "" {
		*nodemon = findNodemon()
	}
	tools := []struct {
		name, bin string
		args      []string
	}{
		{strings.TrimSpace("reload " + *extra), *reload, strings.Fields(*extra)},
		{strings.TrimSpace("reload --warm " + *extra), *reload, append([]string{"--warm"}, strings.Fields(*extra)...)},
		{"nodemon", *nodemon, nil},
	}
	fmt.Fprintf(stdout, "save → new app's first line, median of %d saves (settle %s), node %s\n\n", *runs, *settle, nodeVersion())
	fmt.Fprintln(stdout, "| tool | median | min | max | command |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|")
	for _, tool := range tools {
		if tool.bin == "" {
			fmt.Fprintf(stderr, "warmbench: %s is not installed (make bench-peers); skipped\n", tool.name)
			continue
		}
		argv := append(append([]string{tool.bin}, tool.args...), "index.js")
		dir := filepath.Join(tmp, "app-"+strings.ReplaceAll(tool.name, " ", ""))
		times, err := measure(dir, argv, *runs, *settle, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "warmbench: %s: %v\n", tool.name, err)
			continue
		}
		slices.Sort(times)
		fmt.Fprintf(stdout, "| %s | %s | %s | %s | `%s index.js` |\n", tool.name, ms(median(times)), ms(times[0]), ms(times[len(times)-1]), tool.name)
	}
	return 0
}

// measure runs argv on a fresh app in dir and times runs saves.
func measure(dir string, argv []string, runs int, settle time.Duration, stderr io.Writer) ([]time.Duration, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for name, text := range map[string]string{"index.js": app, "value.js": "module.exports = 0\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	cmd.Stderr = io.Discard
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	defer stop(cmd)
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	if err := waitLine(lines, "ready value=0", 30*time.Second); err != nil {
		return nil, err
	}
	var times []time.Duration
	for i := 1; i <= runs; i++ {
		time.Sleep(settle) // a person between saves: the point of the settle flag
		began := time.Now()
		if err := os.WriteFile(filepath.Join(dir, "value.js"), fmt.Appendf(nil, "module.exports = %d\n", i), 0o644); err != nil {
			return nil, err
		}
		if err := waitLine(lines, fmt.Sprintf("ready value=%d", i), 30*time.Second); err != nil {
			return nil, fmt.Errorf("save %d: %w", i, err)
		}
		times = append(times, time.Since(began))
		fmt.Fprintf(stderr, "  %s save %d: %s\n", filepath.Base(dir), i, ms(times[len(times)-1]))
	}
	return times, nil
}

// waitLine waits for a line equal to want.
func waitLine(lines <-chan string, want string, within time.Duration) error {
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				return errors.New("the tool exited")
			}
			if l == want {
				return nil
			}
		case <-deadline.C:
			return fmt.Errorf("no %q within %s", want, within)
		}
	}
}

// stop ends the tool and its apps: SIGTERM to its group, then SIGKILL.
func stop(cmd *exec.Cmd) {
	pgid := cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
	}
}

func findNodemon() string {
	if out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "internal/cmd/bench/.peers/node_modules/.bin/nodemon")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	p, _ := exec.LookPath("nodemon")
	return p
}

func nodeVersion() string {
	out, _ := exec.Command("node", "--version").Output()
	return strings.TrimSpace(string(out))
}

func median(d []time.Duration) time.Duration {
	n := len(d)
	if n%2 == 1 {
		return d[n/2]
	}
	return (d[n/2-1] + d[n/2]) / 2
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
