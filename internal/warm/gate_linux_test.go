package warm

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/command"
)

// within bounds every wait; passing tests never reach it.
const within = 10 * time.Second

// gated is node started behind the gate, as the runner starts it ahead.
type gated struct {
	cmd  *exec.Cmd
	gate *Gate
	env  []string
	out  *os.File // node's stdout, a file: no copying goroutine to race with
	done chan struct{}
}

// startGated starts argv (node and its arguments) in dir behind the gate,
// and waits until node blocks reading it: it has booted and run nothing of
// the app.
func startGated(t *testing.T, dir string, argv ...string) *gated {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	p, err := Prepare(command.Plan{Argv: argv}, dir, dir, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	r, gate, err := NewGate()
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { out.Close() })
	g := &gated{gate: gate, out: out, done: make(chan struct{})}
	g.env = append(os.Environ(), "A=old", "B=gone", Env)
	g.cmd = exec.Command(p.Argv[0], p.Argv[1:]...)
	g.cmd.Dir, g.cmd.Env, g.cmd.Stdout, g.cmd.Stderr = dir, g.env, g.out, os.Stderr
	g.cmd.ExtraFiles = []*os.File{r}
	if err := g.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.Close()
	go func() { _ = g.cmd.Wait(); close(g.done) }()
	t.Cleanup(func() {
		gate.Close()
		_ = g.cmd.Process.Kill()
		<-g.done
	})
	deadline := time.Now().Add(within)
	for {
		wchan, _ := os.ReadFile("/proc/" + strconv.Itoa(g.cmd.Process.Pid) + "/wchan")
		if strings.Contains(string(wchan), "pipe_read") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("node did not block on the gate within %v (wchan %q)", within, wchan)
		}
		time.Sleep(2 * time.Millisecond) // polling a condition, with a deadline
	}
	return g
}

// wait waits for node to end and returns its stdout.
func (g *gated) wait(t *testing.T) string {
	t.Helper()
	select {
	case <-g.done:
	case <-time.After(within):
		t.Fatalf("node did not end within %v", within)
	}
	return g.output(t)
}

// output is what node printed so far.
func (g *gated) output(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(g.out.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// report is what the test apps print: the environment the gate changes,
// and node's options as the app sees them.
const report = `JSON.stringify({a: process.env.A, b: process.env.B ?? null, fd: process.env.RELOAD_WARM_FD ?? null,
  execArgv: process.execArgv, hook: globalThis.hook ?? null})`

// TestGateNode: node waits at the gate with nothing of the app run, then
// runs it with the message's environment and without a trace of the gate,
// for CommonJS, an ES module entry, and user preloads and loader hooks
// (which node runs after the gate: the loader-hooks thread runs the gate
// script too, and must not wait).
func TestGateNode(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, text := range map[string]string{
		"app.js":     "console.log(" + report + ")\n",
		"app.mjs":    "import fs from 'node:fs';\nconsole.log(" + report + ")\n",
		"hook.mjs":   "globalThis.hook = 'import';\n",
		"hook.cjs":   "globalThis.hook = 'require';\n",
		"loader.mjs": "export async function resolve(s, c, next) { return next(s, c); }\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		hook any
	}{
		{"commonjs", []string{"app.js"}, nil},
		{"es module", []string{"app.mjs"}, nil},
		{"user -r", []string{"-r", "./hook.cjs", "app.js"}, "require"},
		{"--import", []string{"--import", "./hook.mjs", "app.mjs"}, "import"},
		{"--loader", []string{"--no-warnings", "--experimental-loader", "./loader.mjs", "app.mjs"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := startGated(t, dir, append([]string{"node"}, tc.args...)...)
			if out := g.output(t); out != "" {
				t.Fatalf("the app ran before the gate opened: %q", out)
			}
			want := append(os.Environ(), "A=new")
			if err := g.gate.Open(Message(g.env, want), time.Second); err != nil {
				t.Fatal(err)
			}
			out := g.wait(t)
			var got struct {
				A, B, Fd any
				ExecArgv []string
				Hook     any
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("app printed %q: %v", out, err)
			}
			wantArgv := append([]string{}, tc.args[:len(tc.args)-1]...)
			if got.A != "new" || got.B != nil || got.Fd != nil || !reflect.DeepEqual(got.ExecArgv, wantArgv) || got.Hook != tc.hook {
				t.Fatalf("want A=new, B and the gate's variable unset, execArgv %q and hook %v; got %+v", wantArgv, tc.hook, got)
			}
		})
	}
}

// TestGateClosed: a gate closed without a message ends node at once, with
// nothing of the app run (and so no terminal settings restored).
func TestGateClosed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.js"), []byte("console.log('ran')\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g := startGated(t, dir, "node", "app.js")
	g.gate.Close()
	if out := g.wait(t); out != "" {
		t.Fatalf("the app ran: %q", out)
	}
	if ws := g.cmd.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("want node killed by itself, got %v", g.cmd.ProcessState)
	}
}

// TestGateGone: opening the gate of a process that died fails, so the
// runner starts cold.
func TestGateGone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	g := startGated(t, dir, "node", "-e", "0")
	_ = g.cmd.Process.Kill()
	g.wait(t)
	if err := g.gate.Open(Message(nil, nil), time.Second); !errors.Is(err, syscall.EPIPE) {
		t.Fatalf("want EPIPE, got %v", err)
	}
}
