//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// End-to-end tests of [hooks] (--hook): which hook runs for what, with
// which RELOAD_* variables, and that a hook never holds up a restart.

// hookApp announces itself, then does what mode.txt says (a .txt file is
// not watched for a sh app, so setting the mode restarts nothing).
// It reads mode.txt before it says ready: a mode the test writes after a
// ready line is for the next start, never this one.
const hookApp = `mode=$(cat mode.txt 2>/dev/null)
echo "ready pid=$$ restarts=$RELOAD_RESTARTS"
case "$mode" in
crash) exit 4 ;;
exit) exit 0 ;;
esac
exec sleep 1000
`

// hookLine is what each hook appends to the log: its event and variables.
const hookLine = `echo "$RELOAD_EVENT $RELOAD_RESTARTS pid=$RELOAD_APP_PID code=$RELOAD_EXIT_CODE signal=$RELOAD_SIGNAL changed=$RELOAD_CHANGED" >> "$HOOK_LOG"`

// waitLines waits until the file at path holds every line of want (in
// any order: hooks run side by side) and returns its lines.
func waitLines(t *testing.T, path string, want ...string) []string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		b, _ := os.ReadFile(path)
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		missing := slices.DeleteFunc(slices.Clone(want), func(w string) bool { return slices.Contains(lines, w) })
		if len(missing) == 0 {
			return lines
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s lacks %q after %v; it holds:\n%s", filepath.Base(path), missing, within, b)
		}
		time.Sleep(10 * time.Millisecond) // polling a condition with a deadline
	}
}

// waitPid waits for the file at path to hold a whole line, a pid.
func waitPid(t *testing.T, path string) int {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if b, _ := os.ReadFile(path); strings.HasSuffix(string(b), "\n") {
			return mustAtoi(t, strings.TrimSpace(string(b)))
		}
		if time.Now().After(deadline) {
			t.Fatalf("no pid in %s after %v", filepath.Base(path), within)
		}
		time.Sleep(10 * time.Millisecond) // polling a condition with a deadline
	}
}

// TestHooksLifecycle drives start, a change, a crash, a failed build and a
// clean exit, and checks each hook ran once per event with its variables.
func TestHooksLifecycle(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	writeFile(t, dir, "app.sh", hookApp)
	writeFile(t, dir, "build.sh", "true\n")
	toml := "build = \"sh build.sh\"\n[hooks]\n"
	for _, h := range []string{"start", "restart", "crash", "exit", "build_failed"} {
		toml += h + " = '" + hookLine + "'\n"
	}
	writeFile(t, dir, ".reload.toml", toml)
	log := filepath.Join(t.TempDir(), "hooks.log") // outside the project: not a change
	p := startReloadIn(t, launch{dir: dir, env: []string{"HOOK_LOG=" + log}}, "app.sh")

	pid := p.ready()["pid"]
	all := []string{"start 0 pid=" + pid + " code= signal= changed="}
	waitLines(t, log, all...)

	writeFile(t, dir, "a.sh", "")
	pid = p.ready()["pid"]
	step := []string{"start 1 pid=" + pid + " code= signal= changed=a.sh", "restart 1 pid=" + pid + " code= signal= changed=a.sh"}
	all = append(all, step...)
	waitLines(t, log, all...)

	writeFile(t, dir, "mode.txt", "crash")
	writeFile(t, dir, "a.sh", "# 2")
	pid = p.ready()["pid"]
	waitFor(t, p.errs, "app crashed")
	step = []string{"start 2 pid=" + pid + " code= signal= changed=a.sh", "restart 2 pid=" + pid + " code= signal= changed=a.sh",
		"crash 2 pid=" + pid + " code=4 signal= changed=a.sh"}
	all = append(all, step...)
	waitLines(t, log, all...)

	// The app is gone after its crash: build_failed has no app pid.
	writeFile(t, dir, "build.sh", "exit 2\n")
	waitFor(t, p.errs, "build failed")
	all = append(all, "build_failed 2 pid= code= signal= changed=build.sh")
	waitLines(t, log, all...)

	writeFile(t, dir, "mode.txt", "exit")
	writeFile(t, dir, "build.sh", "true\n")
	pid = p.ready()["pid"]
	waitFor(t, p.errs, "app exited cleanly")
	step = []string{"start 3 pid=" + pid + " code= signal= changed=build.sh", "restart 3 pid=" + pid + " code= signal= changed=build.sh",
		"exit 3 pid=" + pid + " code=0 signal= changed=build.sh"}
	all = append(all, step...)
	lines := waitLines(t, log, all...)

	p.signal(syscall.SIGTERM)
	if st := p.wait(); st != 143 {
		t.Errorf("reload exited %d; want 143", st)
	}
	b, _ := os.ReadFile(log)
	if lines = strings.Split(strings.TrimSuffix(string(b), "\n"), "\n"); len(lines) != len(all) {
		t.Errorf("want exactly one line per hook run, %d; got:\n%s", len(all), b)
	}
}

// TestSlowHookDoesNotDelayRestart: a start hook that takes 5s is still
// running when the restarted app is ready, and it is not stopped by the
// restart; a hook still running when reload exits is stopped.
func TestSlowHookDoesNotDelayRestart(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	out := t.TempDir()
	p := startReloadIn(t, launch{dir: dir, env: []string{"OUT=" + out}},
		"--hook", `start=echo $$ > "$OUT/pid.$RELOAD_RESTARTS"; sleep 5; echo done > "$OUT/done.$RELOAD_RESTARTS"`, "app.sh")
	p.ready()
	waitPid(t, filepath.Join(out, "pid.0"))
	writeFile(t, dir, "a.sh", "")
	if next := p.ready(); next["restarts"] != "1" {
		t.Fatalf("want restart 1, got %v", next)
	}
	if _, err := os.Stat(filepath.Join(out, "done.0")); err == nil {
		t.Fatal("the restarted app was ready only after the slow hook ended")
	}
	// The first run ends by itself; the second start's run follows it.
	waitLines(t, filepath.Join(out, "done.0"), "done")
	hook := waitPid(t, filepath.Join(out, "pid.1"))
	p.signal(syscall.SIGTERM)
	if st := p.wait(); st != 143 {
		t.Errorf("reload exited %d; want 143", st)
	}
	gone(t, hook)
	if _, err := os.Stat(filepath.Join(out, "done.1")); err == nil {
		t.Error("the hook running when reload exited was not stopped")
	}
}

// TestFailingHookLine: a failing hook is one status line with its status
// and its command, and the app goes on.
func TestFailingHookLine(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	writeFile(t, dir, "app.sh", "echo \"ready pid=$$\"\nexit 1\n")
	p := startReload(t, dir, "--hook", "crash=echo oops >&2; exit 3", "app.sh")
	p.ready()
	lines := linesUntil(t, p.errs, `[reload] hook "crash" failed (exit 3): echo oops >&2; exit 3`)
	if !slices.Contains(lines, "oops") {
		t.Errorf("the hook's output is not on reload's stderr: %q", lines)
	}
	writeFile(t, dir, "a.sh", "")
	p.ready()
	lines = linesUntil(t, p.errs, `hook "crash" failed`)
	if n := count(lines, "failed"); n != 1 {
		t.Errorf("want one failure line per run, got %d: %q", n, lines)
	}
}

// TestUnknownHookIsExit2: an unknown hook name, in the file or from
// --hook, is a config error naming where, and nothing starts.
func TestUnknownHookIsExit2(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	writeFile(t, dir, ".reload.toml", "[hooks]\nstart = \"true\"\nquit = \"true\"\n")
	st, stderr := runReload(t, dir, "app.sh")
	want := `.reload.toml:3: key "hooks.quit": "quit" is not a hook; the hooks are start, restart, crash, exit and build_failed`
	if st != 2 || !strings.Contains(stderr, want) || strings.Contains(stderr, "starting") {
		t.Errorf("status %d, stderr:\n%s\nwant 2 and %q", st, stderr, want)
	}
	dir = newProject(t)
	st, stderr = runReload(t, dir, "--hook", "crashed=true", "app.sh")
	if st != 2 || !strings.Contains(stderr, `reload: --hook: "crashed" is not a hook;`) {
		t.Errorf("--hook crashed=: status %d, stderr:\n%s", st, stderr)
	}
}
