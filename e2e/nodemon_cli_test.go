//go:build unix

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// argsApp is readyApp that also shows its arguments, joined by commas.
const argsApp = `echo "ready pid=$$ restarts=$RELOAD_RESTARTS changed=$RELOAD_CHANGED args=$(echo "$*" | tr ' ' ,) pwd=$(pwd)"
exec sleep 1000
`

// TestNodemonWatchAfterScript: reload's flags after the script are
// reload's (nodemon reads them so); the app does not get them.
func TestNodemonWatchAfterScript(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", argsApp)
	writeFile(t, dir, "lib/keep.sh", "")
	p := startReload(t, dir, "app.sh", "--watch", "lib", "--port", "3000")
	first := p.ready()
	if first["args"] != "--port,3000" {
		t.Fatalf("the app's args: want --port 3000 only, got %q", first["args"])
	}
	writeFile(t, dir, "outside.sh", "x") // not under lib: not watched
	writeFile(t, dir, "lib/x.sh", "x")
	next := p.ready()
	if next["changed"] != "lib/x.sh" || next["restarts"] != "1" || next["args"] != "--port,3000" {
		t.Fatalf("want one restart for lib/x.sh with the same args, got %v", next)
	}
}

// TestNodemonAppArgs: what is not reload's goes to the app, and after the
// script "--" hands everything that follows to it.
func TestNodemonAppArgs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", argsApp)
	p := startReload(t, dir, "app.sh", "--port", "3000", "-q", "--", "--watch", "x", "-q")
	if got := p.ready()["args"]; got != "--port,3000,--watch,x,-q" {
		t.Fatalf("the app's args: got %q", got)
	}
	for _, l := range drain(p.errs) {
		if strings.Contains(l, "[reload] starting") {
			t.Fatalf("-q before -- is reload's, but reload printed %q", l)
		}
	}
}

// TestNodemonExtAndIgnore: -e "sh txt" (nodemon's spaces) and --ignore
// sub/ (a folder, as in .gitignore), with a sentinel proving that nothing
// under sub/ restarted the app.
func TestNodemonExtAndIgnore(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	writeFile(t, dir, "sub/keep.sh", "")
	p := startReload(t, dir, "app.sh", "-e", "sh txt", "--ignore", "sub/")
	p.ready()
	writeFile(t, dir, "notes.txt", "x")
	if got := p.ready(); got["changed"] != "notes.txt" || got["restarts"] != "1" {
		t.Fatalf("-e \"sh txt\": want a restart for notes.txt, got %v", got)
	}
	writeFile(t, dir, "sub/x.sh", "x")
	writeFile(t, dir, "sub/deeper/y.sh", "x")
	writeFile(t, dir, "other/sub/z.sh", "x") // a name alone matches at any depth
	writeFile(t, dir, "sentinel.sh", "x")
	if got := p.ready(); got["changed"] != "sentinel.sh" || got["restarts"] != "2" {
		t.Fatalf("--ignore sub/: only the sentinel should restart the app, got %v", got)
	}
}

// TestNodemonDelayAndPollNumbers: --delay 1 is one second, --poll 1000 and
// -P 1000 are 1000 ms; none of the numbers is taken for the command.
func TestNodemonDelayAndPollNumbers(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	out, err := runOutput(dir, "--dump", "--delay", "1", "--poll", "1000", "app.sh")
	if err != nil || !strings.Contains(out, "delay = \"1s\"  # flag --delay") || !strings.Contains(out, "poll = \"1s\"  # flag --poll") {
		t.Fatalf("--dump --delay 1 --poll 1000: %v\n%s", err, out)
	}
	if !strings.Contains(out, `cmd = ["sh", "app.sh"]`) {
		t.Fatalf("the command must be app.sh, not the number:\n%s", out)
	}
	p := startReload(t, dir, "-V", "--delay", "1", "--poll", "1000", "app.sh")
	waitFor(t, p.errs, "every 1s")
	p.ready()
	writeFile(t, dir, "app.sh", readyApp+"# edited\n")
	if got := p.ready(); got["restarts"] != "1" || got["changed"] != "app.sh" {
		t.Fatalf("want a restart for app.sh, got %v", got)
	}
}

// TestNodemonSpellings: -L polls, -P MS polls at MS, -I and -V are
// --no-stdin and --verbose, --spawn and --no-update-notifier are accepted
// and -V says they do nothing.
func TestNodemonSpellings(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	p := startReload(t, dir, "-L", "-I", "-V", "--spawn", "--no-update-notifier", "--no-colors", "app.sh")
	waitFor(t, p.errs, "every 500ms")
	p.ready()
	out, err := runOutput(dir, "--dump", "-P", "250", "-I", "app.sh")
	if err != nil || !strings.Contains(out, "poll = \"250ms\"  # flag --polling-interval") || !strings.Contains(out, "restartable = \"\"  # flag --no-stdin") {
		t.Fatalf("--dump -P 250 -I: %v\n%s", err, out)
	}
	st, stderr := runReload(t, dir, "-V", "--spawn", "--no-update-notifier", "--no-watch", "--", "true")
	if st != 0 || !strings.Contains(stderr, "--spawn (nodemon's) has no effect") || !strings.Contains(stderr, "--no-update-notifier (nodemon's) has no effect") {
		t.Fatalf("--spawn --no-update-notifier: %d\n%s", st, stderr)
	}
}

// TestNodemonOnChangeOnly: -C starts the app only at the first change,
// and that start is the first (RELOAD_RESTARTS=0).
func TestNodemonOnChangeOnly(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	p := startReload(t, dir, "-C", "app.sh")
	waitFor(t, p.errs, "waiting for a change before starting")
	writeFile(t, dir, "x.sh", "x")
	if got := p.ready(); got["changed"] != "x.sh" || got["restarts"] != "0" {
		t.Fatalf("want the first start for x.sh with restarts=0, got %v", got)
	}
}

// TestNodemonExitCrash: --exitcrash ends reload with the crashed app's
// status, though it is watching.
func TestNodemonExitCrash(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", "exit 3\n")
	st, stderr := runReload(t, dir, "app.sh", "--exitcrash")
	if st != 3 || !strings.Contains(stderr, "app crashed: exit code 3") {
		t.Fatalf("want exit 3 after the crash, got %d:\n%s", st, stderr)
	}
}

// TestNodemonDump: --dump prints the settings as TOML, each with where it
// came from, and exits 0 without running the app.
func TestNodemonDump(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, ".reload.toml", "stop_timeout = \"2s\"\n[env]\nFROM = \"file\"\n")
	writeFile(t, dir, "app.sh", "echo ran > ran.txt\n")
	out, err := runOutput(dir, "--dump", "app.sh", "--delay", "250ms", "--env", "A=1", "-e", "sh,txt")
	if err != nil {
		t.Fatalf("--dump: %v\n%s", err, out)
	}
	file := filepath.Join(dir, ".reload.toml")
	for _, want := range []string{
		`cmd = ["sh", "app.sh"]  # command line`,
		`delay = "250ms"  # flag --delay`,
		`stop_timeout = "2s"  # ` + file,
		`signal = "SIGTERM"  # default`,
		`ext = ["sh", "txt"]  # flag --ext`,
		`FROM = "file"  # ` + file,
		`A = "1"  # flag --env`,
		"[backoff]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("--dump lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "ran.txt")); err == nil {
		t.Error("--dump ran the app")
	}
	// Inferred settings say so.
	out, err = runOutput(t.TempDir(), "--dump")
	if err != nil || !strings.Contains(out, "# cmd is unset  # nothing to run") {
		t.Fatalf("--dump with nothing to run: %v\n%s", err, out)
	}
}

// TestNodemonCwd: --cwd runs reload as if started in that folder.
func TestNodemonCwd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "sub/app.sh", argsApp)
	p := startReload(t, dir, "--cwd", "sub", "app.sh")
	first := p.ready()
	if filepath.Base(first["pwd"]) != "sub" {
		t.Fatalf("want the app run in sub, got pwd=%s", first["pwd"])
	}
	writeFile(t, dir, "sub/x.sh", "x")
	if got := p.ready()["changed"]; got != "x.sh" {
		t.Fatalf("want paths relative to sub, got changed=%q", got)
	}
	if st, stderr := runReload(t, dir, "--cwd", "nope", "app.sh"); st != 2 || !strings.Contains(stderr, "--cwd nope: no such folder") {
		t.Fatalf("--cwd nope: %d %s", st, stderr)
	}
}

// TestNodemonInspectReachesNode: node's options before the script go to
// node, the app's after it to the app.
func TestNodemonInspectReachesNode(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	dir := t.TempDir()
	writeFile(t, dir, "app.js", `console.log("ready pid=" + process.pid + " execArgv=" + process.execArgv.join(",") + " args=" + process.argv.slice(2).join(","))`+"\n")
	p := startReload(t, dir, "--no-watch", "--inspect=127.0.0.1:0", "--no-warnings", "app.js", "--port", "3000")
	got := p.ready()
	// reload serves --inspect's address itself (inspect_test.go): node's
	// own debugger gets a private loopback port.
	inspect, rest, _ := strings.Cut(got["execArgv"], ",")
	if !strings.HasPrefix(inspect, "--inspect=127.0.0.1:") || inspect == "--inspect=127.0.0.1:0" ||
		rest != "--no-warnings,--inspect-publish-uid=http" || got["args"] != "--port,3000" {
		t.Fatalf("want node --inspect=127.0.0.1:<private port> --no-warnings --inspect-publish-uid=http app.js --port 3000, got %v", got)
	}
	if st := p.wait(); st != 0 {
		t.Fatalf("exit %d", st)
	}
	// A script node does not run takes none of node's options.
	writeFile(t, dir, "app.sh", "exit 0\n")
	if st, stderr := runReload(t, dir, "--inspect", "app.sh"); st != 2 || !strings.Contains(stderr, "write it after the script: reload app.sh --inspect") {
		t.Fatalf("--inspect app.sh: %d %s", st, stderr)
	}
}

// TestNodemonUnknownFlagHint: a misspelt flag is one line with the flag as
// typed and the nearest one, exit 2.
func TestNodemonUnknownFlagHint(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.js", "")
	for _, tc := range []struct{ args, want []string }{
		{[]string{"--inspct", "app.js"}, []string{"reload: unknown flag --inspct; did you mean --inspect?"}},
		{[]string{"--on-crsh", "app.js"}, []string{"reload: unknown flag --on-crsh; did you mean --on-crash?"}},
		{[]string{"--delay", "2", "--stop-timeout", "5", "app.js"}, []string{`reload: flag --stop-timeout: "5" has no unit; write "5s" (or "5ms")`}},
		{[]string{"-C", "--no-watch", "app.js"}, []string{"reload: --on-change-only: waits for a first change, but on_change = false (--no-watch) watches for none; drop one of the two"}},
	} {
		st, stderr := runReload(t, dir, tc.args...)
		if got := strings.Split(strings.TrimSpace(stderr), "\n"); st != 2 || strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("reload %q: exit %d\n%s\nwant exit 2 and\n%s", tc.args, st, stderr, strings.Join(tc.want, "\n"))
		}
	}
}
