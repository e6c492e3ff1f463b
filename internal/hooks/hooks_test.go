//go:build unix

package hooks

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/procgroup"
	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/internal/testwait"
)

// within bounds every wait: passing tests never reach it.
const within = 10 * time.Second

// TestMain makes the test process a child subreaper, as reload is, so what
// a hook leaves behind is reparented to it and must still be stopped and
// reaped.
func TestMain(m *testing.M) {
	procgroup.NewReaper(status.Discard())
	os.Exit(m.Run())
}

// newRunner runs cmds in a temp folder, with MARK naming it in their
// environment; Close(0) is the test's cleanup.
func newRunner(t *testing.T, cmds map[string]string, tweak func(*Options)) (*Runner, string, *testwait.Buffer) {
	t.Helper()
	dir := t.TempDir()
	log := &testwait.Buffer{}
	o := Options{Commands: cmds, Dir: dir, Env: append(os.Environ(), "MARK="+dir, "FROM_APP=yes"),
		Log: status.New(log, false, status.Verbose)}
	if tweak != nil {
		tweak(&o)
	}
	r := New(o)
	t.Cleanup(func() { r.Close(0) })
	return r, dir, log
}

// waitFile waits for path to exist and returns its content.
func waitFile(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if b, err := os.ReadFile(path); err == nil {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %v", filepath.Base(path), within)
		}
		time.Sleep(5 * time.Millisecond) // polling a condition with a deadline
	}
}

// waitLog waits for the status lines to contain want.
func waitLog(t *testing.T, log *testwait.Buffer, want string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !strings.Contains(log.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the status lines within %v:\n%s", want, within, log)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// gone waits until pid no longer exists (a zombie still does).
func gone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still exists after %v", pid, within)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// pidIn waits for path to hold a pid and returns it.
func pidIn(t *testing.T, path string) int {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if n, err := strconv.Atoi(strings.TrimSpace(waitFile(t, path))); err == nil && n > 0 {
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s holds no pid", path)
		}
		time.Sleep(5 * time.Millisecond) // created, not yet written
	}
}

// TestHookEnvironment: a hook gets the base environment, the RELOAD_*
// variables of its event, the project root as its folder and the null
// device as stdin.
func TestHookEnvironment(t *testing.T) {
	t.Parallel()
	const script = `{
echo "event=$RELOAD_EVENT restarts=$RELOAD_RESTARTS changed=$RELOAD_CHANGED"
echo "app=$RELOAD_APP_PID code=$RELOAD_EXIT_CODE signal=$RELOAD_SIGNAL from_app=$FROM_APP reload=$RELOAD_PID"
echo "pwd=$(pwd -P)"
tr '\0' '\n' < "$RELOAD_CHANGED_FILE"
if read -r line; then echo "stdin=$line"; else echo stdin=eof; fi
} > "$MARK/$RELOAD_EVENT.tmp" && mv "$MARK/$RELOAD_EVENT.tmp" "$MARK/$RELOAD_EVENT.out"`
	r, dir, _ := newRunner(t, map[string]string{Crash: script, Exit: script, BuildFailed: script}, nil)
	r.Fire(Crash, Info{Restarts: 2, Changed: []string{"a.js", "lib/b c.js"}, Pid: 4321, Exited: true, Code: 3})
	r.Fire(Exit, Info{Restarts: 0, Pid: 77, Exited: true, Signal: "SIGSEGV"})
	r.Fire(BuildFailed, Info{Restarts: -1, Changed: []string{"x.go"}})
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	sep := string(os.PathListSeparator)
	self := strconv.Itoa(os.Getpid())
	for _, tc := range []struct{ name, want string }{
		{Crash, "event=crash restarts=2 changed=a.js" + sep + "lib/b c.js\napp=4321 code=3 signal= from_app=yes reload=" + self +
			"\npwd=" + root + "\na.js\nlib/b c.js\nstdin=eof\n"},
		{Exit, "event=exit restarts=0 changed=\napp=77 code= signal=SIGSEGV from_app=yes reload=" + self +
			"\npwd=" + root + "\nstdin=eof\n"},
		{BuildFailed, "event=build_failed restarts= changed=x.go\napp= code= signal= from_app=yes reload=" + self +
			"\npwd=" + root + "\nx.go\nstdin=eof\n"},
	} {
		if got := waitFile(t, filepath.Join(dir, tc.name+".out")); got != tc.want {
			t.Errorf("%s hook saw\n%s\nwant\n%s", tc.name, got, tc.want)
		}
	}
}

// TestHookRunsOneAtATime: an event for a hook that still runs waits, and a
// later one replaces it: three events make two runs, never side by side.
func TestHookRunsOneAtATime(t *testing.T) {
	t.Parallel()
	const script = `echo "begin $RELOAD_RESTARTS" >> "$MARK/log"
while [ ! -f "$MARK/gate" ]; do sleep 0.01; done
echo "end $RELOAD_RESTARTS" >> "$MARK/log"
echo x >> "$MARK/ended"`
	r, dir, log := newRunner(t, map[string]string{Start: script}, nil)
	r.Fire(Start, Info{Restarts: 1})
	waitFile(t, filepath.Join(dir, "log"))
	r.Fire(Start, Info{Restarts: 2})
	r.Fire(Start, Info{Restarts: 3})
	waitLog(t, log, `hook "start" skipped for a later event`)
	writeGate(t, dir)
	deadline := time.Now().Add(within)
	for !strings.Contains(waitFile(t, filepath.Join(dir, "ended")), "x\nx\n") {
		if time.Now().After(deadline) {
			t.Fatal("the second run did not end")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := waitFile(t, filepath.Join(dir, "log")); got != "begin 1\nend 1\nbegin 3\nend 3\n" {
		t.Errorf("runs:\n%s", got)
	}
}

func writeGate(t *testing.T, dir string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "gate"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHookFailureLine: a failing hook is one warning line with its status
// and command; a good one is a -v line only.
func TestHookFailureLine(t *testing.T) {
	t.Parallel()
	r, _, log := newRunner(t, map[string]string{Crash: "exit 3", Start: "true", Exit: "kill -SEGV $$"}, nil)
	r.Fire(Start, Info{})
	waitLog(t, log, `hook "start" done in`)
	r.Fire(Crash, Info{})
	waitLog(t, log, `[reload] hook "crash" failed (exit 3): exit 3`+"\n")
	r.Fire(Exit, Info{})
	waitLog(t, log, `[reload] hook "exit" failed (SIGSEGV): kill -SEGV $$`+"\n")
	if n := strings.Count(log.String(), "failed"); n != 2 {
		t.Errorf("want two failure lines:\n%s", log)
	}
}

// TestHookTimeout: a hook that runs too long is stopped, with what it
// started in its group, and says so.
func TestHookTimeout(t *testing.T) {
	t.Parallel()
	r, dir, log := newRunner(t, map[string]string{Restart: `sleep 30 & echo $! > "$MARK/child"; echo $$ > "$MARK/pid"; wait`},
		func(o *Options) { o.Timeout = 300 * time.Millisecond; o.Grace = 200 * time.Millisecond })
	r.Fire(Restart, Info{})
	shell, child := pidIn(t, filepath.Join(dir, "pid")), pidIn(t, filepath.Join(dir, "child"))
	waitLog(t, log, `hook "restart" still ran after 300ms, so it was stopped: sleep 30 &`)
	gone(t, shell)
	gone(t, child)
}

// TestHookLeftoversStopped: what a hook leaves running in its group when
// its shell exits is stopped: nothing of a hook outlives it.
func TestHookLeftoversStopped(t *testing.T) {
	t.Parallel()
	r, dir, log := newRunner(t, map[string]string{Exit: `sleep 30 & echo $! > "$MARK/child"`}, nil)
	r.Fire(Exit, Info{})
	child := pidIn(t, filepath.Join(dir, "child"))
	waitLog(t, log, `hook "exit" done in`)
	gone(t, child)
}

// TestCloseStopsHooks: Close(0) stops a running hook at once; it does not
// wait for it to end by itself.
func TestCloseStopsHooks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	log := &testwait.Buffer{}
	r := New(Options{Commands: map[string]string{Start: `echo $$ > "$MARK/pid.tmp"; mv "$MARK/pid.tmp" "$MARK/pid"; exec sleep 30`},
		Env: append(os.Environ(), "MARK="+dir), Log: status.New(log, false, status.Verbose)})
	r.Fire(Start, Info{})
	pid := pidIn(t, filepath.Join(dir, "pid"))
	closed := make(chan struct{})
	go func() { r.Close(0); close(closed) }()
	select {
	case <-closed:
	case <-time.After(within):
		t.Fatal("Close did not return")
	}
	gone(t, pid)
	if !strings.Contains(log.String(), `hook "start" stopped: reload is exiting`) || strings.Contains(log.String(), "failed") {
		t.Errorf("status lines:\n%s", log)
	}
	if r.changes == "" {
		t.Fatal("no RELOAD_CHANGED_FILE folder")
	}
	if _, err := os.Stat(r.changes); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the RELOAD_CHANGED_FILE folder is left: %v", err)
	}
}

// TestCloseLingers: Close with a linger lets handed-over events run and
// finish, the ones not yet started included.
func TestCloseLingers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := New(Options{Commands: map[string]string{Crash: `sleep 0.2; echo "$RELOAD_EXIT_CODE" > "$MARK/crash"`},
		Env: append(os.Environ(), "MARK="+dir)})
	r.Fire(Crash, Info{Exited: true, Code: 5})
	r.Close(within)
	if b, err := os.ReadFile(filepath.Join(dir, "crash")); err != nil || string(b) != "5\n" {
		t.Errorf("the crash hook did not finish before Close returned: %q, %v", b, err)
	}
}

// TestBlankHooksNeverRun: a blank command is no hook.
func TestBlankHooksNeverRun(t *testing.T) {
	t.Parallel()
	r, _, log := newRunner(t, map[string]string{Start: "  ", Crash: "true"}, nil)
	if r.Has(Start) || r.Has(Exit) || !r.Has(Crash) {
		t.Errorf("Has: start %v, exit %v, crash %v", r.Has(Start), r.Has(Exit), r.Has(Crash))
	}
	r.Fire(Start, Info{})
	r.Fire(Crash, Info{})
	waitLog(t, log, `hook "crash" done`)
	if strings.Contains(log.String(), `hook "start"`) {
		t.Errorf("a blank hook ran:\n%s", log)
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	if !slices.Equal(Names, []string{"start", "restart", "crash", "exit", "build_failed"}) {
		t.Errorf("Names = %q", Names)
	}
}
