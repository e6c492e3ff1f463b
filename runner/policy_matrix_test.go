package runner

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/status"
)

// TestPolicy runs the whole crash matrix through the pure policy: how the
// app ended × on-crash / on-exit / watching / max-crashes / uptime against
// reset_after, checking the verdict, the new counters and every line printed.
func TestPolicy(t *testing.T) {
	t.Parallel()
	const ms = time.Millisecond
	b := Backoff{Initial: 100 * ms, Max: time.Second, ResetAfter: 5 * time.Second}
	quick := 20 * ms // "after 20ms"
	long := 6 * time.Second

	notFound := &exec.Error{Name: "node", Err: exec.ErrNotFound}
	denied := &os.PathError{Op: "fork/exec", Path: "./app", Err: syscall.EACCES}
	tooMany := &os.PathError{Op: "fork/exec", Path: "/usr/bin/node", Err: syscall.EMFILE}
	noDir := fmt.Errorf("working directory: %w", os.ErrNotExist)
	sig := func(s syscall.Signal, up time.Duration) ending { return ending{code: -1, sig: s, uptime: up} }
	code := func(c int, up time.Duration) ending { return ending{code: c, uptime: up} }
	byNum := func(s syscall.Signal) int { return 128 + int(s) }

	wait := verdict{}
	exitWith := func(s int) verdict { return verdict{exit: true, status: s} }
	restartIn := func(d time.Duration) verdict { return verdict{restart: true, delay: d} }
	ctrlC := verdict{exit: true, status: 130, err: ErrInterrupted}
	info := func(s string) statusLine { return statusLine{levelInfo, s} }
	warn := func(s string) statusLine { return statusLine{levelWarn, s} }
	fail := func(s string) statusLine { return statusLine{levelError, s} }
	waitTry := info("waiting for a change before trying again")

	// opts: w watching, c on-crash, x on-exit, f foreground, h a not-found
	// hint, e exit on crash.
	type opts struct {
		flags      string
		maxCrashes int
	}
	for _, tc := range []struct {
		name  string
		e     ending
		o     opts
		in    counters
		want  verdict
		out   counters
		lines []statusLine
	}{
		// exit 0
		{"clean, watching", code(0, quick), opts{"w", 0}, counters{2, 2}, wait, counters{},
			[]statusLine{info("app exited cleanly after 20ms; waiting for a change before restarting")}},
		{"clean, not watching", code(0, quick), opts{"", 0}, counters{2, 2}, exitWith(0), counters{},
			[]statusLine{info("app exited cleanly after 20ms")}},
		{"clean, on-crash does not restart it", code(0, quick), opts{"wc", 0}, counters{2, 2}, wait, counters{},
			[]statusLine{info("app exited cleanly after 20ms; waiting for a change before restarting")}},
		{"clean, on-crash, not watching", code(0, quick), opts{"c", 0}, counters{}, exitWith(0), counters{},
			[]statusLine{info("app exited cleanly after 20ms")}},
		{"clean, on-exit backs off and breaks the crash run", code(0, quick), opts{"wx", 0}, counters{2, 2}, restartIn(400 * ms), counters{3, 0},
			[]statusLine{info("app exited cleanly after 20ms; restarting in 400ms")}},
		{"clean, on-exit, not watching", code(0, quick), opts{"x", 0}, counters{}, restartIn(100 * ms), counters{1, 0},
			[]statusLine{info("app exited cleanly after 20ms; restarting in 100ms")}},
		{"clean, on-exit, delay capped", code(0, quick), opts{"wx", 0}, counters{9, 0}, restartIn(time.Second), counters{10, 0},
			[]statusLine{info("app exited cleanly after 20ms; restarting in 1s")}},
		{"clean, on-exit, ran reset_after: new streak", code(0, long), opts{"wx", 0}, counters{4, 2}, restartIn(100 * ms), counters{1, 0},
			[]statusLine{info("app exited cleanly after 6s; restarting in 100ms")}},
		{"clean, on-exit is not a crash for max-crashes", code(0, quick), opts{"wcx", 1}, counters{3, 0}, restartIn(800 * ms), counters{4, 0},
			[]statusLine{info("app exited cleanly after 20ms; restarting in 800ms")}},

		// non-zero exit
		{"exit 3, watching", code(3, quick), opts{"w", 0}, counters{}, wait, counters{1, 1},
			[]statusLine{warn("app crashed: exit code 3 after 20ms; waiting for a change before restarting")}},
		{"exit 3, not watching", code(3, quick), opts{"", 0}, counters{}, exitWith(3), counters{1, 1},
			[]statusLine{warn("app crashed: exit code 3 after 20ms")}},
		{"exit 3, on-exit alone does not restart a crash", code(3, quick), opts{"wx", 0}, counters{}, wait, counters{1, 1},
			[]statusLine{warn("app crashed: exit code 3 after 20ms; waiting for a change before restarting")}},
		{"exit 3, on-crash", code(3, quick), opts{"wc", 0}, counters{}, restartIn(100 * ms), counters{1, 1},
			[]statusLine{warn("app crashed: exit code 3 after 20ms; restarting in 100ms (crash 1)")}},
		{"exit 3, on-crash, not watching, third crash", code(3, quick), opts{"c", 0}, counters{2, 2}, restartIn(400 * ms), counters{3, 3},
			[]statusLine{warn("app crashed: exit code 3 after 20ms; restarting in 400ms (crash 3)")}},
		{"exit 3, on-crash, delay capped", code(3, quick), opts{"wc", 0}, counters{5, 5}, restartIn(time.Second), counters{6, 6},
			[]statusLine{warn("app crashed: exit code 3 after 20ms; restarting in 1s (crash 6)")}},
		{"exit 3 after on-exit restarts: streak goes on, crash 1", code(3, quick), opts{"wcx", 0}, counters{1, 0}, restartIn(200 * ms), counters{2, 1},
			[]statusLine{warn("app crashed: exit code 3 after 20ms; restarting in 200ms (crash 1)")}},
		{"exit 3, max-crashes reached, watching", code(3, quick), opts{"wc", 3}, counters{2, 2}, wait, counters{3, 3},
			[]statusLine{warn("app crashed: exit code 3 after 20ms; gave up after 3 crashes in a row; waiting for a change")}},
		{"exit 3, max-crashes reached, not watching", code(3, quick), opts{"c", 3}, counters{2, 2}, exitWith(3), counters{3, 3},
			[]statusLine{warn("app crashed: exit code 3 after 20ms; gave up after 3 crashes in a row")}},
		{"exit 3, max-crashes 1, watching", code(3, quick), opts{"wc", 1}, counters{}, wait, counters{1, 1},
			[]statusLine{warn("app crashed: exit code 3 after 20ms; gave up after 1 crash; waiting for a change")}},
		{"exit 3, max-crashes 1, not watching", code(3, quick), opts{"c", 1}, counters{}, exitWith(3), counters{1, 1},
			[]statusLine{warn("app crashed: exit code 3 after 20ms; gave up after 1 crash")}},
		{"exit 3, max-crashes not yet reached", code(3, quick), opts{"c", 3}, counters{1, 1}, restartIn(200 * ms), counters{2, 2},
			[]statusLine{warn("app crashed: exit code 3 after 20ms; restarting in 200ms (crash 2)")}},
		{"exit 3, ran reset_after: new streak, max-crashes not reached", code(3, long), opts{"wc", 3}, counters{2, 2}, restartIn(100 * ms), counters{1, 1},
			[]statusLine{warn("app crashed: exit code 3 after 6s; restarting in 100ms (crash 1)")}},
		{"exit 3, ran exactly reset_after", code(3, 5*time.Second), opts{"c", 0}, counters{4, 4}, restartIn(100 * ms), counters{1, 1},
			[]statusLine{warn("app crashed: exit code 3 after 5s; restarting in 100ms (crash 1)")}},
		{"exit 3, just short of reset_after", code(3, 4999*ms), opts{"c", 0}, counters{2, 2}, restartIn(400 * ms), counters{3, 3},
			[]statusLine{warn("app crashed: exit code 3 after 5s; restarting in 400ms (crash 3)")}},
		{"exit 3, ran reset_after, no on-crash", code(3, long), opts{"w", 0}, counters{3, 3}, wait, counters{1, 1},
			[]statusLine{warn("app crashed: exit code 3 after 6s; waiting for a change before restarting")}},
		{"exit 130 outside the foreground is a crash", code(130, quick), opts{"wc", 0}, counters{}, restartIn(100 * ms), counters{1, 1},
			[]statusLine{warn("app crashed: exit code 130 after 20ms; restarting in 100ms (crash 1)")}},
		{"exit 1 in the foreground is a crash", code(1, quick), opts{"wcf", 0}, counters{}, restartIn(100 * ms), counters{1, 1},
			[]statusLine{warn("app crashed: exit code 1 after 20ms; restarting in 100ms (crash 1)")}},

		// exit on crash: a crash ends reload with its status, even watching
		{"exit 3, exit-on-crash, watching", code(3, quick), opts{"we", 0}, counters{}, exitWith(3), counters{1, 1},
			[]statusLine{warn("app crashed: exit code 3 after 20ms; exiting (exit_on_crash)")}},
		{"SIGSEGV, exit-on-crash, watching", sig(syscall.SIGSEGV, quick), opts{"we", 0}, counters{}, exitWith(byNum(syscall.SIGSEGV)), counters{1, 1},
			[]statusLine{warn("app crashed: SIGSEGV after 20ms; exiting (exit_on_crash)")}},
		{"clean, exit-on-crash, watching: waits", code(0, quick), opts{"we", 0}, counters{}, wait, counters{},
			[]statusLine{info("app exited cleanly after 20ms; waiting for a change before restarting")}},
		{"SIGTERM, exit-on-crash: asked, waits", sig(syscall.SIGTERM, quick), opts{"we", 0}, counters{}, wait, counters{},
			[]statusLine{info("app stopped by SIGTERM after 20ms; waiting for a change before restarting")}},
		{"not found, exit-on-crash, watching", ending{startErr: notFound}, opts{"weh", 0}, counters{}, exitWith(127), counters{},
			[]statusLine{fail(`cannot start "node": ` + exec.ErrNotFound.Error() + "; install node")}},

		// crash signals
		{"SIGSEGV, not watching", sig(syscall.SIGSEGV, quick), opts{"", 0}, counters{}, exitWith(byNum(syscall.SIGSEGV)), counters{1, 1},
			[]statusLine{warn("app crashed: SIGSEGV after 20ms")}},
		{"SIGSEGV, on-crash", sig(syscall.SIGSEGV, quick), opts{"wc", 0}, counters{}, restartIn(100 * ms), counters{1, 1},
			[]statusLine{warn("app crashed: SIGSEGV after 20ms; restarting in 100ms (crash 1)")}},
		{"SIGABRT, on-crash, not watching", sig(syscall.SIGABRT, quick), opts{"c", 0}, counters{1, 1}, restartIn(200 * ms), counters{2, 2},
			[]statusLine{warn("app crashed: SIGABRT after 20ms; restarting in 200ms (crash 2)")}},
		{"SIGKILL, watching", sig(syscall.SIGKILL, quick), opts{"w", 0}, counters{}, wait, counters{1, 1},
			[]statusLine{warn("app crashed: SIGKILL (killed, possibly out of memory) after 20ms; waiting for a change before restarting")}},
		{"SIGKILL, max-crashes reached, not watching", sig(syscall.SIGKILL, quick), opts{"c", 2}, counters{1, 1}, exitWith(137), counters{2, 2},
			[]statusLine{warn("app crashed: SIGKILL (killed, possibly out of memory) after 20ms; gave up after 2 crashes in a row")}},
		{"SIGINT outside the foreground, on-exit: asked, not restarted", sig(syscall.SIGINT, quick), opts{"wcx", 0}, counters{1, 1}, wait, counters{},
			[]statusLine{info("app stopped by SIGINT after 20ms; waiting for a change before restarting")}},
		{"SIGTERM, max-crashes 1: asked, no give-up", sig(syscall.SIGTERM, quick), opts{"wc", 1}, counters{}, wait, counters{},
			[]statusLine{info("app stopped by SIGTERM after 20ms; waiting for a change before restarting")}},

		// interrupted in the foreground: reload exits with it, counters untouched, nothing printed
		{"SIGINT in the foreground, watching", sig(syscall.SIGINT, quick), opts{"wcf", 0}, counters{2, 2}, ctrlC, counters{2, 2}, nil},
		{"SIGINT in the foreground, not watching", sig(syscall.SIGINT, quick), opts{"cf", 0}, counters{}, ctrlC, counters{}, nil},
		{"exit 130 in the foreground, on-exit", code(130, quick), opts{"wcxf", 0}, counters{1, 0}, ctrlC, counters{1, 0}, nil},

		// cannot start: not found, or exit 127
		{"not found, watching", ending{startErr: notFound}, opts{"wch", 0}, counters{2, 2}, wait, counters{},
			[]statusLine{fail(`cannot start "node": ` + exec.ErrNotFound.Error() + "; install node"), waitTry}},
		{"not found, not watching", ending{startErr: notFound}, opts{"cxh", 1}, counters{}, exitWith(127), counters{},
			[]statusLine{fail(`cannot start "node": ` + exec.ErrNotFound.Error() + "; install node")}},
		{"not found, no hint", ending{startErr: notFound}, opts{"w", 0}, counters{}, wait, counters{},
			[]statusLine{fail(`cannot start "node": ` + exec.ErrNotFound.Error()), waitTry}},
		{"exit 127, watching", code(127, quick), opts{"wcxh", 1}, counters{2, 2}, wait, counters{},
			[]statusLine{fail(`cannot start "node app.js": command not found (exit status 127); install node`), waitTry}},
		{"exit 127, not watching", code(127, quick), opts{"ch", 0}, counters{}, exitWith(127), counters{},
			[]statusLine{fail(`cannot start "node app.js": command not found (exit status 127); install node`)}},

		// a start that failed for want of resources is a crash, for the backoff
		{"too many open files, on-crash, not watching", ending{startErr: tooMany}, opts{"c", 0}, counters{}, restartIn(100 * ms), counters{1, 1},
			[]statusLine{warn(`app could not start: "/usr/bin/node": ` + syscall.EMFILE.Error() + "; restarting in 100ms (crash 1)")}},
		{"too many open files, not watching", ending{startErr: tooMany}, opts{"", 0}, counters{}, exitWith(126), counters{1, 1},
			[]statusLine{warn(`app could not start: "/usr/bin/node": ` + syscall.EMFILE.Error())}},
		{"out of memory, watching", ending{startErr: &os.PathError{Op: "fork/exec", Path: "/usr/bin/node", Err: syscall.ENOMEM}}, opts{"w", 0}, counters{}, wait, counters{1, 1},
			[]statusLine{warn(`app could not start: "/usr/bin/node": ` + syscall.ENOMEM.Error() + "; waiting for a change before restarting")}},

		// not executable: exec refused it, or exit 126 (a hint is for a missing command only)
		{"permission denied, watching", ending{startErr: denied}, opts{"wch", 0}, counters{2, 2}, wait, counters{},
			[]statusLine{fail(`cannot start "./app": ` + syscall.EACCES.Error()), waitTry}},
		{"permission denied, not watching", ending{startErr: denied}, opts{"ch", 0}, counters{}, exitWith(126), counters{},
			[]statusLine{fail(`cannot start "./app": ` + syscall.EACCES.Error())}},
		{"missing working directory", ending{startErr: noDir}, opts{"wch", 0}, counters{}, wait, counters{},
			[]statusLine{fail(`cannot start "node app.js": working directory: file does not exist`), waitTry}},
		{"exit 126, watching", code(126, quick), opts{"wcx", 1}, counters{1, 1}, wait, counters{},
			[]statusLine{fail(`cannot start "node app.js": command not executable (exit status 126)`), waitTry}},
		{"exit 126, not watching", code(126, quick), opts{"ch", 0}, counters{}, exitWith(126), counters{},
			[]statusLine{fail(`cannot start "node app.js": command not executable (exit status 126)`)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := policyOptions{
				Watching:    strings.Contains(tc.o.flags, "w"),
				OnCrash:     strings.Contains(tc.o.flags, "c"),
				OnExit:      strings.Contains(tc.o.flags, "x"),
				Foreground:  strings.Contains(tc.o.flags, "f"),
				ExitOnCrash: strings.Contains(tc.o.flags, "e"),
				Backoff:     b,
				Describe:    "node app.js",
			}
			o.Backoff.MaxCrashes = tc.o.maxCrashes
			if strings.Contains(tc.o.flags, "h") {
				o.NotFoundHint = "install node"
			}
			v, c, lines := policy(tc.e, tc.in, o)
			if v != tc.want {
				t.Errorf("verdict %+v; want %+v", v, tc.want)
			}
			if c != tc.out {
				t.Errorf("counters %+v; want %+v", c, tc.out)
			}
			if !slices.Equal(lines, tc.lines) {
				t.Errorf("lines:\n  %v\nwant\n  %v", lines, tc.lines)
			}
		})
	}
	// The asked signals, each watching and not: not crashes, never
	// restarted (not even with on-crash and on-exit), both counters reset.
	for _, s := range []syscall.Signal{syscall.SIGHUP, syscall.SIGINT, syscall.SIGTERM, syscall.SIGPIPE} {
		for _, watching := range []bool{true, false} {
			o := policyOptions{Watching: watching, OnCrash: true, OnExit: true, Backoff: b}
			want, text := wait, fmt.Sprintf("app stopped by %s after 20ms; waiting for a change before restarting", signalName(s))
			if !watching {
				want, text = exitWith(byNum(s)), fmt.Sprintf("app stopped by %s after 20ms", signalName(s))
			}
			v, c, lines := policy(sig(s, quick), counters{3, 2}, o)
			if v != want || c != (counters{}) || !slices.Equal(lines, []statusLine{info(text)}) {
				t.Errorf("%s, watching %v: (%+v, %+v, %v); want (%+v, {0 0}, [{info %q}])",
					signalName(s), watching, v, c, lines, want, text)
			}
		}
	}
}

// decide is the loop's side of the policy: it keeps the counters and prints
// each line at its level (so --quiet hides the info lines, not the others).
func TestDecideAppliesPolicy(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	r := &runner{
		opts:    Options{Watching: true, OnCrash: true, Describe: "app", Log: status.New(&buf, false, status.Quiet)},
		backoff: Backoff{Initial: 100 * time.Millisecond}.withDefaults(),
		streak:  1, crashes: 1,
	}
	if v := r.decide(ending{code: 3, uptime: time.Millisecond}); v != (verdict{restart: true, delay: 200 * time.Millisecond}) {
		t.Errorf("crash: verdict %+v", v)
	}
	if r.streak != 2 || r.crashes != 2 {
		t.Errorf("after a crash: streak %d, crashes %d; want 2, 2", r.streak, r.crashes)
	}
	r.decide(ending{code: 126})
	if r.streak != 0 || r.crashes != 0 {
		t.Errorf("after cannot start: streak %d, crashes %d; want 0, 0", r.streak, r.crashes)
	}
	want := "[reload] app crashed: exit code 3 after 1ms; restarting in 200ms (crash 2)\n" +
		"[reload] cannot start \"app\": command not executable (exit status 126)\n"
	if got := buf.String(); got != want {
		t.Errorf("printed (quiet):\n%s\nwant\n%s", got, want)
	}
}
