//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

func TestSignalsExitStatuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		sig  syscall.Signal
		want int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			t.Parallel()
			dir := newProject(t)
			p := startReload(t, dir, "app.sh")
			app := p.ready()
			p.signal(tc.sig)
			if st := p.wait(); st != tc.want {
				t.Fatalf("want exit %d, got %d", tc.want, st)
			}
			gone(t, mustAtoi(t, app["pid"]))
		})
	}
}

func TestSecondInterruptKillsAtOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", `trap 'echo "stopping pid=$$"' TERM INT
echo "ready pid=$$"
while :; do sleep 0.05; done
`)
	p := startReload(t, dir, "--stop-timeout", "1h", "app.sh")
	app := p.ready()
	p.signal(syscall.SIGINT)
	waitFor(t, p.out, "stopping")
	p.signal(syscall.SIGINT)
	if st := p.wait(); st != 130 {
		t.Fatalf("want exit 130, got %d", st)
	}
	gone(t, mustAtoi(t, app["pid"]))
}

func TestNoWatchPassesExitStatus(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", "exit 3\n")
	if st, _ := runReload(t, dir, "--no-watch", "app.sh"); st != 3 {
		t.Fatalf("want the app's status 3, got %d", st)
	}
	writeFile(t, dir, "killed.sh", "kill -SEGV $$\n")
	if st, _ := runReload(t, dir, "--no-watch", "killed.sh"); st != 128+int(syscall.SIGSEGV) {
		t.Fatalf("want 128+SIGSEGV, got %d", st)
	}
	writeFile(t, dir, "ok.sh", "exit 0\n")
	if st, _ := runReload(t, dir, "--no-watch", "ok.sh"); st != 0 {
		t.Fatalf("want 0, got %d", st)
	}
}

func TestSIGHUPRestarts(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	p := startReload(t, dir, "app.sh")
	p.ready()
	p.signal(syscall.SIGHUP)
	if got := p.ready()["restarts"]; got != "1" {
		t.Fatalf("SIGHUP: want restarts=1, got %s", got)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	empty := t.TempDir()
	for _, tc := range []struct {
		name string
		dir  string
		args []string
		want string
	}{
		{"nothing to run", empty, nil, "nothing to run"},
		{"unknown flag", empty, []string{"--frobnicate", "x.js"}, "frobnicate"},
		{"bad duration flag", empty, []string{"--stop-timeout", "100", "--", "true"}, `write "100s" (or "100ms")`},
		{"bad signal flag", empty, []string{"--signal", "SIGFOO", "--", "true"}, "SIGFOO"},
		{"pausing signal flag", empty, []string{"--signal", "SIGCONT", "--", "true"}, "SIGCONT only resumes a paused app"},
		{"bad env flag", empty, []string{"--env", "NOVALUE", "--", "true"}, "K=V"},
		{"missing config file", empty, []string{"-c", "nope.toml", "--", "true"}, "nope.toml"},
		{"missing watch folder", empty, []string{"-w", "nope", "--", "true"}, "nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, stderr := runReload(t, tc.dir, tc.args...)
			if st != 2 {
				t.Fatalf("want exit 2, got %d (%s)", st, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if len(lines) != 1 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("want one line naming %q, got:\n%s", tc.want, stderr)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Fatalf("panic trace:\n%s", stderr)
			}
		})
	}
}

func TestConfigErrorsNameFileLineAndKey(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, toml, want string
	}{
		{"unknown key", "delay = \"1s\"\n\nfrobnicate = true\n", ".reload.toml:3"},
		{"bad duration", "cmd = \"true\"\ndelay = \"100\"\n", ".reload.toml:2"},
		{"wrong type", "cmd = \"true\"\non_crash = \"yes\"\n", "on_crash"},
		{"bad signal", "cmd = \"true\"\n\nsignal = \"SIGFOO\"\n", ".reload.toml:3"},
		{"pausing signal", "cmd = \"true\"\nsignal = \"SIGSTOP\"\n", `.reload.toml:2: key "signal": SIGSTOP pauses the app`},
		{"bad glob", "cmd = \"true\"\nignore = [\"a[\"]\n", "ignore"},
		{"unknown backoff key", "[backoff]\ninitial = \"1s\"\nmaxx = \"2s\"\n", ".reload.toml:3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFile(t, dir, ".reload.toml", tc.toml)
			st, stderr := runReload(t, dir)
			if st != 2 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("want exit 2 naming %q, got %d:\n%s", tc.want, st, stderr)
			}
		})
	}
}

func TestFlagsOverrideConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, ".reload.toml", "cmd = [\"sh\", \"app.sh\"]\next = \"txt\"\n[env]\nWHO = \"config\"\nKEEP = \"kept\"\n")
	writeFile(t, dir, "app.sh", `echo "ready pid=$$ restarts=$RELOAD_RESTARTS changed=$RELOAD_CHANGED who=$WHO keep=$KEEP"; exec sleep 1000`)
	p := startReload(t, dir, "--env", "WHO=flag", "-e", "js")
	first := p.ready()
	if first["who"] != "flag" || first["keep"] != "kept" {
		t.Fatalf("--env must override [env] key by key: %v", first)
	}
	writeFile(t, dir, "ignored.txt", "x") // config's ext, overridden by -e js
	writeFile(t, dir, "code.js", "x")
	if got := p.ready()["changed"]; got != "code.js" {
		t.Fatalf("-e js must replace ext from the config: changed=%q", got)
	}
}

func TestConfigFoundUpward(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeFile(t, root, ".reload.toml", "cmd = [\"sh\", \"app.sh\"]\n")
	writeFile(t, root, "app.sh", readyApp)
	sub := filepath.Join(root, "src", "deep")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	// The app runs in the cwd (src/deep), so point it at the root's script.
	writeFile(t, root, ".reload.toml", "cmd = [\"sh\", \""+filepath.Join(root, "app.sh")+"\"]\n")
	p := startReload(t, sub)
	p.ready()
	writeFile(t, root, "src/x.txt", "x") // paths are relative to the project root, the config's folder
	if got := p.ready()["changed"]; got != "src/x.txt" {
		t.Fatalf("want changed=src/x.txt (relative to the config's folder), got %q", got)
	}
}

func TestInit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if st, stderr := runReload(t, dir, "init"); st != 0 {
		t.Fatalf("init: exit %d: %s", st, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, ".reload.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"delay = \"50ms\"", "stop_timeout = \"5s\"", "[backoff]", "signal = \"SIGTERM\""} {
		if !strings.Contains(string(data), key) {
			t.Errorf("init file lacks %q", key)
		}
	}
	st, stderr := runReload(t, dir, "init")
	if st != 2 || !strings.Contains(stderr, "--force") {
		t.Fatalf("second init must refuse (exit 2, naming --force), got %d: %s", st, stderr)
	}
	if st, stderr := runReload(t, dir, "init", "--force"); st != 0 {
		t.Fatalf("init --force: exit %d: %s", st, stderr)
	}
	// The written file is valid: reload runs with it.
	writeFile(t, dir, "ok.sh", "exit 0\n")
	if st, stderr := runReload(t, dir, "--no-watch", "ok.sh"); st != 0 {
		t.Fatalf("reload with the init file: exit %d: %s", st, stderr)
	}
}

func TestMissingInterpreter(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, ".reload.toml", "[exec_map]\npy = \"no-such-python\"\n")
	writeFile(t, dir, "app.py", "print('hi')\n")
	st, stderr := runReload(t, dir, "--no-watch", "app.py")
	if st != 127 || !strings.Contains(stderr, "no-such-python") || !strings.Contains(stderr, "exec_map") {
		t.Fatalf("want exit 127 naming the interpreter and the fix, got %d:\n%s", st, stderr)
	}
	// Watching: one error, then it waits for a change instead of spinning;
	// once the interpreter exists, the next change starts the app.
	bin := t.TempDir()
	p := startReloadIn(t, launch{dir: dir, env: []string{"PATH=" + bin + ":" + os.Getenv("PATH")}}, "app.py")
	waitFor(t, p.errs, "cannot start")
	writeFile(t, bin, "no-such-python", "#!/bin/sh\nexec sh \"$@\"\n")
	if err := os.Chmod(filepath.Join(bin, "no-such-python"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "app.py", "echo \"ready pid=$$ restarts=$RELOAD_RESTARTS\"; exec sleep 1000\n")
	if got := p.ready()["restarts"]; got != "1" {
		t.Fatalf("want the app started after the change, got restarts=%s", got)
	}
	for _, l := range drain(p.errs) {
		if strings.Contains(l, "cannot start") {
			t.Fatalf("the error was printed more than once (a restart loop?): %s", l)
		}
	}
}

func TestHelpAndVersion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out, err := runOutput(dir, "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"reload index.js", "--on-crash index.js", "--no-watch --on-crash", "--poll"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help lacks %q", want)
		}
	}
	if out, err := runOutput(dir, "--version"); err != nil || !strings.Contains(out, "reload version") {
		t.Fatalf("--version: %q %v", out, err)
	}
}
