//go:build unix

package e2e

import (
	"errors"
	"strings"
	"syscall"
	"testing"
)

// linesUntil returns the lines on ch up to and including the first that
// contains want.
func linesUntil(t *testing.T, ch <-chan string, want string) []string {
	t.Helper()
	var seen []string
	for {
		l := waitFor(t, ch, "") // the next line, within the deadline
		seen = append(seen, l)
		if strings.Contains(l, want) {
			return seen
		}
	}
}

func count(lines []string, s string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

// goneNow fails unless pid is gone and reaped already.
func goneNow(t *testing.T, pid int, what string) {
	t.Helper()
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("%s (pid %d) is still there: kill 0 says %v", what, pid, err)
	}
}

// buildProject is a project whose build is build.sh (watched: the app is
// a .sh script) with the given first content.
func buildProject(t *testing.T, build string) string {
	t.Helper()
	dir := newProject(t)
	writeFile(t, dir, "build.sh", build)
	return dir
}

func TestFailedBuildKeepsTheRunningApp(t *testing.T) {
	t.Parallel()
	dir := buildProject(t, "echo built\n")
	p := startReload(t, dir, "-b", "sh build.sh", "app.sh")
	pid := mustAtoi(t, p.ready()["pid"])

	// It fails until fix.sh exists: the fix is a change to another file,
	// so the start it causes is told apart from one for this change.
	writeFile(t, dir, "build.sh", "[ -f fix.sh ] && exit 0\necho 'compile error: boom' >&2\nexit 2\n")
	lines := linesUntil(t, p.errs, "build failed")
	if l := lines[len(lines)-1]; !strings.Contains(l, "[reload] build failed (exit 2) — still running the previous build") {
		t.Fatalf("failure line: %q", l)
	}
	if count(lines, "compile error: boom") != 1 {
		t.Fatalf("the build's output was not shown: %q", lines)
	}
	if err := syscall.Kill(pid, 0); err != nil {
		t.Fatalf("the old app (pid %d) is gone after a failed build: %v", pid, err)
	}

	// The sentinel: the next start is the fixed build's, and only the second.
	writeFile(t, dir, "fix.sh", "")
	next := p.ready()
	if next["restarts"] != "1" || next["changed"] != "fix.sh" {
		t.Fatalf("after the fix want restarts=1 changed=fix.sh, got %v", next)
	}
	gone(t, pid)
}

func TestChangeDuringBuildCancelsIt(t *testing.T) {
	t.Parallel()
	dir := buildProject(t, "true\n")
	p := startReload(t, dir, "-b", "sh build.sh", "app.sh")
	p.ready()

	writeFile(t, dir, "build.sh", `echo "build pid=$$" >&2
sleep 30 &
echo "build child pid=$!" >&2
wait
`)
	build := mustAtoi(t, fields(waitFor(t, p.errs, "build pid="))["pid"])
	child := mustAtoi(t, fields(waitFor(t, p.errs, "build child pid="))["pid"])
	writeFile(t, dir, "build.sh", "true\n")
	waitFor(t, p.errs, "build.sh changed during the build: building again")
	// The next build starts only once the cancelled one is gone.
	waitFor(t, p.errs, "building: ")
	goneNow(t, build, "the cancelled build")
	goneNow(t, child, "the cancelled build's child")

	lines := linesUntil(t, p.errs, "starting: ")
	if n := count(lines, "build failed"); n != 0 {
		t.Fatalf("a cancelled build is not a failure: %q", lines)
	}
	if next := p.ready(); next["restarts"] != "1" || next["changed"] != "build.sh" {
		t.Fatalf("want one restart for the rebuilt change, got %v", next)
	}
}

func TestFirstBuildFailureWaitsForAChange(t *testing.T) {
	t.Parallel()
	dir := buildProject(t, "echo broken >&2\nexit 1\n")
	p := startReload(t, dir, "-b", "sh build.sh", "app.sh")
	lines := linesUntil(t, p.errs, "build failed (exit 1)")

	writeFile(t, dir, "build.sh", "true\n")
	lines = append(lines, linesUntil(t, p.errs, "starting: ")...)
	if n, m := count(lines, "build failed"), count(lines, "building: "); n != 1 || m != 2 {
		t.Fatalf("want one failed build, then one good one; got %d failures in %d builds: %q", n, m, lines)
	}
	// The first start is the fixed build's: no app ran before it.
	if first := p.ready(); first["restarts"] != "0" || first["changed"] != "build.sh" {
		t.Fatalf("want the first start, for build.sh, got %v", first)
	}
}

func TestNoWatchFirstBuildFailureExits(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	// startReload, not runReload: if the app started after all, the
	// cleanup stops it by the pid it announces.
	p := startReload(t, dir, "--no-watch", "-b", "exit 3", "app.sh")
	status := p.wait()
	stderr := strings.Join(drain(p.errs), "\n")
	if status != 1 || !strings.Contains(stderr, "build failed (exit 3)") || strings.Contains(stderr, "starting: ") {
		t.Fatalf("want status 1 after the failure line, and no start; got %d: %q", status, stderr)
	}
}
