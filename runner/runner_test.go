//go:build unix

package runner

import (
	"github.com/reload-dev/reload/internal/trigger"

	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestStartAndRestartOnTrigger(t *testing.T) {
	o := appOptions(t, "RELOAD_RESTARTS=99", "RELOAD_CHANGED=stale") // inherited values must lose
	o.Clear = true
	r := startRun(t, o)

	first := r.ready()
	if first["restarts"] != "0" || first["changed"] != "" {
		t.Fatalf("first start saw restarts=%q changed=%q; want 0 and empty", first["restarts"], first["changed"])
	}
	r.send(trigger.Trigger{Paths: []string{"src/a.js", "src/b.js"}})
	second := r.ready()
	want := "src/a.js" + string(os.PathListSeparator) + "src/b.js"
	if second["restarts"] != "1" || second["changed"] != want {
		t.Fatalf("restart saw restarts=%q changed=%q; want 1 and %q", second["restarts"], second["changed"], want)
	}
	assertGone(t, atoi(t, first["pid"]), "once the next app started")

	restarting := r.log.wait(t, "restarting: src/a.js changed (+1 more)", 1).text
	if !strings.HasPrefix(restarting, "\x1b[2J") {
		t.Errorf("Clear: the screen was not cleared before %q", restarting)
	}
	if starting := r.log.wait(t, "starting: test app", 1).text; strings.Contains(starting, "\x1b[") {
		t.Errorf("Clear: the screen was cleared before the first start: %q", starting)
	}

	r.cancel()
	if res := r.result(); res.status != 0 || res.err != nil {
		t.Fatalf("Run after cancel = (%d, %v); want (0, nil)", res.status, res.err)
	}
	assertGone(t, atoi(t, second["pid"]), "after Run returned")
}

func TestStopEscalatesToKill(t *testing.T) {
	o := appOptions(t, "CHILD_ON_TERM=ignore")
	o.StopTimeout = 200 * time.Millisecond
	r := startRun(t, o)

	first := r.ready()
	r.send(trigger.Trigger{Reason: "rs"})
	r.log.wait(t, "app did not stop within 200ms; killed", 1)
	if second := r.ready(); second["restarts"] != "1" || second["changed"] != "" {
		t.Fatalf("after rs: restarts=%q changed=%q; want 1 and empty", second["restarts"], second["changed"])
	}
	assertGone(t, atoi(t, first["pid"]), "once the next app started")
	r.log.wait(t, "restarting: rs", 1)
}

// The grace is the whole group's: a grandchild that ignores SIGTERM holds
// the restart until the group is SIGKILLed, though the leader quit at once.
func TestStopWaitsForWholeGroup(t *testing.T) {
	o := appOptions(t, "CHILD_SPAWN=group", "CHILD_GRANDCHILD_TERM=ignore")
	o.StopTimeout = 200 * time.Millisecond
	r := startRun(t, o)

	grandchild := atoi(t, field(r.next("grandchild pid="), "pid"))
	first := r.ready()
	r.send(trigger.Trigger{Paths: []string{"main.go"}})
	r.log.wait(t, "app did not stop within 200ms; killed", 1)
	r.ready()
	assertGone(t, grandchild, "once the next app started")
	assertGone(t, atoi(t, first["pid"]), "once the next app started")
}

func TestCrashWaitsForTrigger(t *testing.T) {
	r := startRun(t, shOptions(readyLine+"; exit 3"))

	r.ready()
	r.log.wait(t, "app crashed: exit code 3 after", 1)
	line := r.log.wait(t, "waiting for a change before restarting", 1).text
	if !strings.Contains(line, "exit code 3") {
		t.Errorf("crash line %q does not name the exit code", line)
	}
	// The sentinel: had anything restarted the app meanwhile, this start
	// would not be the second.
	r.send(trigger.Trigger{Reason: "rs"})
	if got := r.ready(); got["restarts"] != "1" {
		t.Fatalf("the start after rs has restarts=%s; want 1 (no restart before it)", got["restarts"])
	}
}

var scheduled = regexp.MustCompile(`restarting in (\S+) \(crash (\d+)\)`)

func TestCrashBackoffAndMaxCrashes(t *testing.T) {
	o := shOptions(readyLine + "; exit 3")
	o.OnCrash, o.Watching = true, false
	o.Backoff.MaxCrashes = 4
	r := startRun(t, o)

	for i := range 4 {
		if got := r.ready(); got["restarts"] != string(rune('0'+i)) {
			t.Fatalf("start %d has restarts=%s", i, got["restarts"])
		}
	}
	if res := r.result(); res.status != 3 || res.err != nil {
		t.Fatalf("Run = (%d, %v); want the app's status (3, nil)", res.status, res.err)
	}
	var delays []string
	var crashedAt []time.Time
	var startedAt []time.Time
	for _, l := range r.log.snapshot() {
		if m := scheduled.FindStringSubmatch(l.text); m != nil {
			delays = append(delays, m[1]+" #"+m[2])
		}
		if strings.Contains(l.text, "app crashed") {
			crashedAt = append(crashedAt, l.at)
		}
		if strings.Contains(l.text, "starting: ") {
			startedAt = append(startedAt, l.at)
		}
	}
	if want := []string{"20ms #1", "40ms #2", "80ms #3"}; strings.Join(delays, ",") != strings.Join(want, ",") {
		t.Fatalf("scheduled delays %v; want %v", delays, want)
	}
	if n := r.log.count("gave up after 4 crashes in a row"); n != 1 {
		t.Fatalf("%d give-up lines; want 1", n)
	}
	// Timers never fire early, so each gap is at least its delay.
	for i, d := range []time.Duration{20, 40, 80} {
		if gap := startedAt[i+1].Sub(crashedAt[i]); gap < d*time.Millisecond {
			t.Errorf("restart %d came %v after the crash; scheduled %v", i+1, gap, d*time.Millisecond)
		}
	}
}

// A change resets the crash streak; with MaxCrashes reached while watching,
// reload waits for that change.
func TestTriggerResetsCrashStreak(t *testing.T) {
	o := shOptions(readyLine + "; exit 3")
	o.OnCrash = true
	o.Backoff.MaxCrashes = 2
	r := startRun(t, o)

	r.log.wait(t, "gave up after 2 crashes in a row; waiting for a change", 1)
	r.send(trigger.Trigger{Paths: []string{"x.go"}})
	r.log.wait(t, "restarting: x.go changed", 1)
	line := r.log.wait(t, "app crashed", 3).text
	if !strings.Contains(line, "restarting in 20ms (crash 1)") {
		t.Fatalf("first crash after a change: %q; want a new streak (crash 1, 20ms)", line)
	}
}

// Clean exits restart under OnExit with the same backoff as crashes (an
// app that keeps exiting at once is not restarted in a busy loop), but they
// are not crashes: they neither count toward MaxCrashes nor show as one.
func TestOnExitRestartsCleanExits(t *testing.T) {
	o := shOptions(readyLine + `; [ "$RELOAD_RESTARTS" = 3 ] && exit 3; exit 0`)
	o.OnExit, o.OnCrash = true, true
	o.Backoff.MaxCrashes = 1
	r := startRun(t, o)

	for i := range 4 {
		if got := r.ready(); got["restarts"] != string(rune('0'+i)) {
			t.Fatalf("start %d has restarts=%s", i, got["restarts"])
		}
	}
	for i, d := range []string{"20ms", "40ms", "80ms"} {
		if l := r.log.wait(t, "app exited cleanly after", i+1).text; !strings.HasSuffix(l, "; restarting in "+d) {
			t.Errorf("clean exit %d: %q; want a restart in %s", i+1, l, d)
		}
	}
	// Three clean exits did not use up MaxCrashes = 1: the first crash does.
	line := r.log.wait(t, "app crashed", 1).text
	if !strings.HasSuffix(line, "gave up after 1 crash; waiting for a change") {
		t.Errorf("first crash after clean exits: %q; want it to be crash 1, the last allowed", line)
	}
	if n := r.log.count("crashed"); n != 1 {
		t.Errorf("%d crash lines; want 1 (clean exits are not crashes)", n)
	}
}

// Without watching, Run passes the app's status on when it will not restart it.
func TestExitStatusPassthrough(t *testing.T) {
	for _, tc := range []struct {
		name    string
		script  string
		onCrash bool
		status  int
		line    string
	}{
		{"exit code", "exit 3", false, 3, "app crashed: exit code 3 after"},
		{"SIGKILL not sent by reload", "kill -KILL $$", false, 137, "app crashed: SIGKILL (killed, possibly out of memory) after"},
		{"SIGSEGV", "kill -SEGV $$", false, 139, "app crashed: SIGSEGV after"},
		{"SIGTERM is not a crash", "kill -TERM $$", true, 143, "app stopped by SIGTERM"},
		{"clean exit", "exit 0", true, 0, "app exited cleanly"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := shOptions(tc.script)
			o.Watching, o.OnCrash = false, tc.onCrash
			r := startRun(t, o)
			if res := r.result(); res.status != tc.status || res.err != nil {
				t.Fatalf("Run = (%d, %v); want (%d, nil)", res.status, res.err, tc.status)
			}
			if r.log.count(tc.line) != 1 {
				t.Fatalf("want one line %q; got:\n%s", tc.line, strings.Join(r.log.all(), "\n"))
			}
			if n := r.log.count("starting:"); n != 1 {
				t.Fatalf("started %d times; want 1", n)
			}
		})
	}
}

// What an app leaves behind when it exits is stopped too, with the same
// escalation, and the line says whose processes had to be killed.
func TestLeftoversOfAnExitedAppAreKilled(t *testing.T) {
	o := appOptions(t, "CHILD_SPAWN=group", "CHILD_GRANDCHILD_TERM=ignore", "CHILD_EXIT=1")
	o.StopTimeout, o.Watching = 200*time.Millisecond, false
	r := startRun(t, o)

	grandchild := atoi(t, field(r.next("grandchild pid="), "pid"))
	if res := r.result(); res.status != 1 || res.err != nil {
		t.Fatalf("Run = (%d, %v); want the app's status (1, nil)", res.status, res.err)
	}
	assertGone(t, grandchild, "after Run returned")
	r.log.wait(t, "processes the app left behind did not stop within 200ms; killed", 1)
}

func TestCannotStartIsFatal(t *testing.T) {
	notExec := filepath.Join(t.TempDir(), "app.sh")
	if err := os.WriteFile(notExec, []byte("#!/bin/sh\necho hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		argv   []string
		status int
		line   string
	}{
		{"not in PATH", []string{"reload-test-no-such-command"}, 127,
			`cannot start "reload-test-no-such-command": executable file not found in $PATH; install it`},
		{"shell says not found", []string{"sh", "-c", "reload-test-no-such-command"}, 127,
			`cannot start "sh script": command not found (exit status 127); install it`},
		{"not executable", []string{notExec}, 126,
			`cannot start "` + notExec + `": permission denied`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := shOptions("")
			o.Argv, o.NotFoundHint = tc.argv, "install it"
			o.OnCrash, o.OnExit, o.Watching = true, true, false
			r := startRun(t, o)
			if res := r.result(); res.status != tc.status || res.err != nil {
				t.Fatalf("Run = (%d, %v); want (%d, nil)", res.status, res.err, tc.status)
			}
			all := strings.Join(r.log.all(), "\n")
			if n := r.log.count("cannot start"); n != 1 || !strings.Contains(all, tc.line) {
				t.Fatalf("want exactly one %q; got:\n%s", tc.line, all)
			}
			if tc.status == 126 && strings.Contains(all, "install it") {
				t.Errorf("the not-found hint was given for a file that exists:\n%s", all)
			}
			if n := r.log.count("starting:"); n != 1 {
				t.Fatalf("started %d times despite on-crash; want 1", n)
			}
		})
	}
}

func TestCannotStartWaitsForTrigger(t *testing.T) {
	o := shOptions(readyLine + "; exit 127")
	o.OnCrash = true
	o.Backoff.Initial = time.Millisecond // a restart loop, if there were one, would run fast
	r := startRun(t, o)

	r.ready()
	r.log.wait(t, "cannot start", 1)
	r.send(trigger.Trigger{Reason: "rs"})
	if got := r.ready(); got["restarts"] != "1" {
		t.Fatalf("the start after rs has restarts=%s; want 1 (no restart loop)", got["restarts"])
	}
}

// Triggers that arrive while the old app is stopping belong to the start
// that follows: one restart, with every change in RELOAD_CHANGED.
func TestTriggersDuringSlowStopAreFolded(t *testing.T) {
	r := startRun(t, appOptions(t, "CHILD_ON_TERM=slow"))

	first := r.ready()
	r.send(trigger.Trigger{Paths: []string{"a.txt"}})
	r.next("term pid=" + first["pid"]) // the old app is stopping: it takes 300ms
	r.send(trigger.Trigger{Paths: []string{"b.txt"}})
	sep := string(os.PathListSeparator)
	if got := r.ready(); got["restarts"] != "1" || got["changed"] != "a.txt"+sep+"b.txt" {
		t.Fatalf("start after the slow stop: restarts=%s changed=%q; want 1 and a.txt%sb.txt", got["restarts"], got["changed"], sep)
	}
	r.send(trigger.Trigger{Paths: []string{"c.txt"}}) // the sentinel
	if got := r.ready(); got["restarts"] != "2" || got["changed"] != "c.txt" {
		t.Fatalf("sentinel start: restarts=%s changed=%q; want 2 and c.txt", got["restarts"], got["changed"])
	}
	// What changed is named first, before the slow stop; what came during
	// the stop is named as it joins the start.
	r.log.wait(t, "restarting: a.txt changed", 1)
	r.log.wait(t, "also changed while the app stopped: b.txt", 1)
}

func TestKillSkipsGrace(t *testing.T) {
	o := appOptions(t, "CHILD_ON_TERM=report-ignore")
	o.StopTimeout = time.Hour
	kill := make(chan struct{})
	o.Kill = kill
	r := startRun(t, o)

	app := r.ready()
	r.cancel()
	r.next("term pid=" + app["pid"]) // a graceful stop is in progress
	close(kill)
	if res := r.result(); res.status != 0 || res.err != nil {
		t.Fatalf("Run = (%d, %v); want (0, nil)", res.status, res.err)
	}
	assertGone(t, atoi(t, app["pid"]), "after Run returned")
	if n := r.log.count("did not stop within"); n != 0 {
		t.Errorf("a kill on request was reported as a timeout")
	}
}

func TestCancelWhileWaitingForBackoff(t *testing.T) {
	o := shOptions("exit 1")
	o.OnCrash = true
	o.Backoff.Initial = time.Hour
	r := startRun(t, o)

	r.log.wait(t, "restarting in 1h0m0s (crash 1)", 1)
	r.cancel()
	if res := r.result(); res.status != 0 || res.err != nil {
		t.Fatalf("Run = (%d, %v); want (0, nil)", res.status, res.err)
	}
}

// A closed trigger channel means no more triggers, not an endless restart.
func TestClosedTriggersAreIgnored(t *testing.T) {
	o := shOptions(readyLine + "; exit 3")
	o.OnCrash, o.Watching = true, false
	o.Backoff.Initial, o.Backoff.MaxCrashes = 50*time.Millisecond, 2
	r := startRun(t, o)
	close(r.triggers)
	if res := r.result(); res.status != 3 {
		t.Fatalf("Run = (%d, %v); want (3, nil)", res.status, res.err)
	}
	if n := r.log.count("starting:"); n != 2 {
		t.Fatalf("started %d times; want 2 (the crash restart only)", n)
	}
}

func TestUnknownSignalIsAnError(t *testing.T) {
	o := shOptions("exit 0")
	o.Signal = "SIGNOPE"
	if _, err := Run(t.Context(), o, nil); err == nil || !strings.Contains(err.Error(), `"SIGNOPE"`) {
		t.Fatalf("Run with signal SIGNOPE: err = %v; want one naming it", err)
	}
}
