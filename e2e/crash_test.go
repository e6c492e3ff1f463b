//go:build linux

package e2e

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// End-to-end tests of crash supervision (SPEC §3): backoff, max_crashes,
// --on-exit, exit statuses and stop escalation. Orphans and ports are in
// e2e_orphans_test.go, PID 1 in e2e_pid1_test.go, the 1,000-restart soak
// in e2e_soak_test.go. Linux only: the apps time themselves with GNU date,
// and the process checks read /proc.

// scheduledRestart matches reload's "restarting in 400ms (crash 3)".
var scheduledRestart = regexp.MustCompile(`restarting in (\S+) \(crash (\d+)\)`)

// crashProject makes a project with app.sh and a .reload.toml whose
// [backoff] table is backoff (TOML lines).
func crashProject(t *testing.T, app, backoff string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", app)
	writeFile(t, dir, ".reload.toml", "[backoff]\n"+backoff+"\n")
	return dir
}

// finishReload waits for reload to exit and returns its status with every line
// of its stdout and stderr.
func finishReload(p *proc) (status int, out, errs []string) {
	status = p.wait()
	return status, drain(p.out), drain(p.errs)
}

// reportedDelays lists the "restarting in" delays reload reported, as "50ms #1".
func reportedDelays(errs []string) []string {
	var got []string
	for _, l := range errs {
		if m := scheduledRestart.FindStringSubmatch(l); m != nil {
			got = append(got, m[1]+" #"+m[2])
		}
	}
	return got
}

func countContaining(lines []string, s string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

// timedApp crashes at once, stamping its start and its exit (ns since the
// epoch) so the real gap between one run and the next can be measured.
const timedApp = `echo "ready pid=$$ restarts=$RELOAD_RESTARTS t=$(date +%s%N)"
echo "bye restarts=$RELOAD_RESTARTS t=$(date +%s%N)"
exit 1
`

// The delay doubles per crash up to backoff.max; every real gap is at least
// the delay reload announced (timers never fire early; an upper bound on a
// loaded machine would be a guess).
func TestCrashBackoffDoubles(t *testing.T) {
	t.Parallel()
	dir := crashProject(t, timedApp, `initial = "50ms"
max = "400ms"
reset_after = "1h"
max_crashes = 7`)
	st, out, errs := finishReload(startReload(t, dir, "--no-watch", "--on-crash", "app.sh"))
	if st != 1 {
		t.Fatalf("want the app's status 1 after giving up, got %d\n%s", st, strings.Join(errs, "\n"))
	}
	want := []string{"50ms #1", "100ms #2", "200ms #3", "400ms #4", "400ms #5", "400ms #6"}
	if got := reportedDelays(errs); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("reported delays %v; want %v", got, want)
	}
	if countContaining(errs, "gave up after 7 crashes in a row") != 1 || countContaining(errs, "starting: ") != 7 {
		t.Fatalf("want 7 starts and one give-up line:\n%s", strings.Join(errs, "\n"))
	}
	starts, byes := stamps(t, out, "ready "), stamps(t, out, "bye ")
	if len(starts) != 7 || len(byes) != 7 {
		t.Fatalf("%d starts and %d exits stamped; want 7 each", len(starts), len(byes))
	}
	for i, d := range []time.Duration{50, 100, 200, 400, 400, 400} {
		if gap := starts[i+1].Sub(byes[i]); gap < d*time.Millisecond {
			t.Errorf("restart %d came %v after the crash; reload announced %v", i+1, gap, d*time.Millisecond)
		}
	}
}

// stamps reads the t=<ns> field of the lines holding prefix, in order.
func stamps(t *testing.T, lines []string, prefix string) []time.Time {
	t.Helper()
	var out []time.Time
	for _, l := range lines {
		if strings.HasPrefix(l, prefix) {
			ns, err := strconv.ParseInt(fields(l)["t"], 10, 64)
			if err != nil {
				t.Fatalf("no time in %q (GNU date is needed): %v", l, err)
			}
			out = append(out, time.Unix(0, ns))
		}
	}
	return out
}

// An app that stayed up reset_after starts a new streak: its crash is
// crash 1 again, at the initial delay, and max_crashes counts from there.
func TestCrashStreakResetsAfterUptime(t *testing.T) {
	t.Parallel()
	dir := crashProject(t, `echo "ready pid=$$ restarts=$RELOAD_RESTARTS"
[ "$RELOAD_RESTARTS" = 2 ] && sleep 1.2
exit 1
`, `initial = "50ms"
max = "400ms"
reset_after = "1s"
max_crashes = 3`)
	st, _, errs := finishReload(startReload(t, dir, "--no-watch", "--on-crash", "app.sh"))
	if st != 1 {
		t.Fatalf("want status 1, got %d", st)
	}
	want := []string{"50ms #1", "100ms #2", "50ms #1", "100ms #2"}
	if got := reportedDelays(errs); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("reported delays %v; want %v (a new streak after the long run)\n%s", got, want, strings.Join(errs, "\n"))
	}
	if countContaining(errs, "gave up after 3 crashes in a row") != 1 || countContaining(errs, "starting: ") != 5 {
		t.Fatalf("want 5 starts and one give-up line:\n%s", strings.Join(errs, "\n"))
	}
	long := regexp.MustCompile(`after (\S+); restarting in 50ms \(crash 1\)`).FindAllStringSubmatch(strings.Join(errs, "\n"), -1)
	if ran, err := time.ParseDuration(long[len(long)-1][1]); err != nil || ran < 1200*time.Millisecond {
		t.Errorf("the long run is reported as %q; want at least 1.2s", long[len(long)-1][1])
	}
}

// A change restarts at once, cancelling a pending crash restart, and
// starts a new streak.
func TestChangeRestartsAtOnceAndResetsStreak(t *testing.T) {
	t.Parallel()
	t.Run("pending restart", func(t *testing.T) {
		t.Parallel()
		dir := crashProject(t, "echo \"ready pid=$$ restarts=$RELOAD_RESTARTS\"\nexit 3\n", "initial = \"1h\"\nmax = \"2h\"")
		p := startReload(t, dir, "--on-crash", "--", "sh", "app.sh")
		p.ready()
		waitFor(t, p.errs, "restarting in 1h0m0s (crash 1)")
		writeFile(t, dir, "x.txt", "x")
		if got := p.ready()["restarts"]; got != "1" {
			t.Fatalf("the change started restarts=%s; want 1", got)
		}
		// Had the streak gone on, this would be crash 2, in 2h.
		waitFor(t, p.errs, "restarting in 1h0m0s (crash 1)")
	})
	t.Run("long streak", func(t *testing.T) {
		t.Parallel()
		dir := crashProject(t, "exit 3\n", "initial = \"50ms\"\nmax = \"1h\"")
		p := startReload(t, dir, "--on-crash", "--", "sh", "app.sh")
		waitFor(t, p.errs, "(crash 3)")
		writeFile(t, dir, "x.txt", "x")
		waitFor(t, p.errs, "restarting: x.txt changed")
		if l := waitFor(t, p.errs, "app crashed"); !strings.Contains(l, "restarting in 50ms (crash 1)") {
			t.Fatalf("first crash after the change: %q; want crash 1 at the initial delay", l)
		}
	})
}

// After max_crashes reload gives up: with --no-watch it exits with the
// app's status (128+N for signal N); watching, it waits for a change.
func TestMaxCrashes(t *testing.T) {
	t.Parallel()
	t.Run("no-watch exits", func(t *testing.T) {
		t.Parallel()
		dir := crashProject(t, "ulimit -c 0\nkill -SEGV $$\n", `initial = "10ms"`)
		st, stderr := runReload(t, dir, "--no-watch", "--on-crash", "--max-crashes", "2", "app.sh")
		errs := strings.Split(stderr, "\n")
		if st != 128+int(syscall.SIGSEGV) {
			t.Fatalf("want 128+SIGSEGV, got %d\n%s", st, stderr)
		}
		if countContaining(errs, "starting: ") != 2 || countContaining(errs, "app crashed: SIGSEGV after") != 2 ||
			countContaining(errs, "gave up after 2 crashes in a row") != 1 {
			t.Fatalf("want 2 starts, 2 SIGSEGV crashes, one give-up:\n%s", stderr)
		}
	})
	t.Run("watching waits for a change", func(t *testing.T) {
		t.Parallel()
		dir := crashProject(t, "echo \"ready pid=$$ restarts=$RELOAD_RESTARTS\"\nexit 3\n", `initial = "10ms"`)
		p := startReload(t, dir, "--on-crash", "--max-crashes", "2", "--", "sh", "app.sh")
		waitFor(t, p.errs, "gave up after 2 crashes in a row; waiting for a change")
		writeFile(t, dir, "x.txt", "x")
		// The sentinel: a restart while reload waited would come before the change's.
		for want := range 3 {
			if got := p.ready()["restarts"]; got != strconv.Itoa(want) {
				t.Fatalf("start %d has restarts=%s (the change's start must be the third)", want, got)
			}
		}
		waitFor(t, p.errs, "restarting: x.txt changed")
		if l := waitFor(t, p.errs, "app crashed"); !strings.Contains(l, "(crash 1)") {
			t.Fatalf("first crash after the change: %q; want crash 1", l)
		}
	})
}

// --on-exit restarts after a clean exit too, backing off like a crash, but
// a clean exit is not a crash: without --on-crash the first crash ends it.
func TestOnExit(t *testing.T) {
	t.Parallel()
	dir := crashProject(t, `echo "ready pid=$$ restarts=$RELOAD_RESTARTS"
[ "$RELOAD_RESTARTS" = 3 ] && exit 5
exit 0
`, "initial = \"20ms\"\nmax = \"1h\"")
	st, out, errs := finishReload(startReload(t, dir, "--no-watch", "--on-exit", "app.sh"))
	if st != 5 {
		t.Fatalf("want the crash's status 5, got %d", st)
	}
	if n := countContaining(out, "ready "); n != 4 {
		t.Fatalf("%d starts; want 4", n)
	}
	var clean []string
	for _, l := range errs {
		if strings.Contains(l, "app exited cleanly after") {
			clean = append(clean, l[strings.LastIndex(l, ";")+2:])
		}
	}
	if want := "restarting in 20ms,restarting in 40ms,restarting in 80ms"; strings.Join(clean, ",") != want {
		t.Fatalf("clean exits said %q; want %q", clean, want)
	}
	if countContaining(errs, "crashed") != 1 || countContaining(errs, "app crashed: exit code 5 after") != 1 {
		t.Fatalf("want exactly one crash, the last:\n%s", strings.Join(errs, "\n"))
	}
}

// With --no-watch reload exits with the app's status, 128+N for signal N,
// and says how it ended. SIGTERM, SIGPIPE and exit 0 are not crashes, so
// --on-crash does not restart them.
func TestCrashExitStatusAndReport(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		script string
		status int
		line   string
	}{
		{"exit 3", 3, "app crashed: exit code 3 after"},
		{"kill -SEGV $$", 139, "app crashed: SIGSEGV after"},
		{"kill -ABRT $$", 134, "app crashed: SIGABRT after"},
		{"kill -KILL $$", 137, "app crashed: SIGKILL (killed, possibly out of memory) after"},
		{"kill -TERM $$", 143, "app stopped by SIGTERM after"},
		{"kill -PIPE $$", 141, "app stopped by SIGPIPE after"},
		{"exit 0", 0, "app exited cleanly after"},
	} {
		t.Run(tc.script, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFile(t, dir, "app.sh", "ulimit -c 0\n"+tc.script+"\n")
			args := []string{"--no-watch", "app.sh"}
			if !strings.Contains(tc.line, "crashed") {
				args = append([]string{"--on-crash"}, args...)
			}
			st, stderr := runReload(t, dir, args...)
			if st != tc.status {
				t.Fatalf("want status %d, got %d\n%s", tc.status, st, stderr)
			}
			errs := strings.Split(stderr, "\n")
			if countContaining(errs, tc.line) != 1 || countContaining(errs, "starting: ") != 1 {
				t.Fatalf("want one start and one %q:\n%s", tc.line, stderr)
			}
		})
	}
}

// An app that ignores the stop signal is SIGKILLed after stop_timeout, on a
// restart and on Ctrl+C, and the status line says so.
func TestStopTimeoutKills(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", "trap '' TERM\n"+readyApp) // exec'd sleep inherits the ignore
	p := startReload(t, dir, "--stop-timeout", "300ms", "--", "sh", "app.sh")
	first := p.ready()
	writeFile(t, dir, "x.txt", "x")
	waitFor(t, p.errs, "app did not stop within 300ms; killed")
	second := p.ready()
	if second["restarts"] != "1" {
		t.Fatalf("want restarts=1, got %v", second)
	}
	assertNoProcess(t, mustAtoi(t, first["pid"]), "once the new app started")
	p.signal(syscall.SIGINT)
	waitFor(t, p.errs, "app did not stop within 300ms; killed")
	if st := p.wait(); st != 130 {
		t.Fatalf("Ctrl+C: want exit 130, got %d", st)
	}
	assertNoProcess(t, mustAtoi(t, second["pid"]), "once reload exited")
}

// assertNoProcess fails if pid exists, zombie or not, with no waiting: for
// moments by which reload must already have stopped and reaped it.
func assertNoProcess(t *testing.T, pid int, when string) {
	t.Helper()
	if err := syscall.Kill(pid, 0); err != syscall.ESRCH {
		state := "alive"
		if st, ok := procState(pid); ok {
			state = fmt.Sprintf("state %c", st)
		}
		t.Errorf("process %d still exists (%s) %s", pid, state, when)
	}
}

// The crash example does what its comments say.
func TestCrashExample(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		crash  string
		status int
		line   string
	}{
		{"exit", 1, "app crashed: exit code 1 after"},
		{"kill", 137, "app crashed: SIGKILL (killed, possibly out of memory) after"},
	} {
		t.Run(tc.crash, func(t *testing.T) {
			t.Parallel()
			dir := copyDir(t, filepath.Join("..", "examples", "crash"))
			st, stderr := runReload(t, dir, "--no-watch", "--max-crashes", "3",
				"--env", "CRASH="+tc.crash, "--env", "UPTIME=0")
			errs := strings.Split(stderr, "\n")
			if st != tc.status || countContaining(errs, tc.line) != 3 {
				t.Fatalf("want status %d after three %q; got %d:\n%s", tc.status, tc.line, st, stderr)
			}
			if got := reportedDelays(errs); strings.Join(got, ",") != "100ms #1,200ms #2" {
				t.Fatalf("reported delays %v; want the example's 100ms, 200ms", got)
			}
		})
	}
}
