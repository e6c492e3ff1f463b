//go:build unix

package runner

import (
	"github.com/reload-dev/reload/internal/testwait"
	"github.com/reload-dev/reload/internal/trigger"

	"bufio"
	"context"
	"errors"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/procgroup"
	"github.com/reload-dev/reload/internal/status"
)

// testBinary is the path to this test binary, to run it as the app.
func testBinary(t testing.TB) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

// appOptions runs the test binary as the app, with env added. Backoff is
// short, and never resets during a test.
func appOptions(t testing.TB, env ...string) Options {
	return Options{
		Argv:     []string{testBinary(t)},
		Describe: "test app",
		// Under -race a child sleeps a second on exit to catch late reports.
		Env:         append(append(os.Environ(), childEnv+"=app", "GORACE=atexit_sleep_ms=0"), env...),
		StopTimeout: 5 * time.Second,
		Watching:    true,
		Backoff:     Backoff{Initial: 20 * time.Millisecond, Max: time.Hour, ResetAfter: time.Hour},
	}
}

// shOptions runs script under sh; it should echo a ready line itself.
func shOptions(script string) Options {
	o := Options{
		Argv:        []string{"sh", "-c", script},
		Describe:    "sh script",
		StopTimeout: 5 * time.Second,
		Watching:    true,
		Backoff:     Backoff{Initial: 20 * time.Millisecond, Max: time.Hour, ResetAfter: time.Hour},
	}
	return o
}

const readyLine = `echo "ready pid=$$ restarts=$RELOAD_RESTARTS changed=$RELOAD_CHANGED"`

// within is the deadline for anything a test waits on. It is generous on
// purpose: passing tests never wait for it.
const within = testwait.Within

type result struct {
	status int
	err    error
}

// run is one Run under test: its app's stdout lines, its status lines, its
// trigger channel and its result.
type run struct {
	t        testing.TB
	out      chan string
	log      *lines
	triggers chan trigger.Trigger
	cancel   context.CancelFunc
	done     chan result
	res      *result
	mu       sync.Mutex
	pids     []int // every pid any app or grandchild printed, killed in cleanup
}

// startRun runs Run in the background. Tests that call it do not use
// t.Parallel: Run takes every orphan reparented to the process as its app's
// (one Run per process is the design), so two at once stop each other's.
func startRun(t testing.TB, o Options) *run {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r := &run{
		t: t, out: make(chan string, 256), log: newLines(),
		triggers: make(chan trigger.Trigger), done: make(chan result, 1),
	}
	if o.Env == nil {
		o.Env = os.Environ()
	}
	o.Env = append(o.Env, ownerEnv) // marks the processes cleanup may kill
	o.Stdout = pw
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
	o.Log = status.New(r.log, false, status.Verbose)
	if o.Reaper == nil {
		o.Reaper = testReaper
	}
	var quick chan struct{} // closed in cleanup: no grace period to sit through
	if o.Kill == nil {
		quick = make(chan struct{})
		o.Kill = quick
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() {
		s, err := Run(ctx, o, r.triggers)
		r.done <- result{s, err}
	}()
	r.send(trigger.Trigger{Reason: trigger.Start})
	go func() {
		defer close(r.out)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			l := sc.Text()
			if pid := field(l, "pid"); pid != "" {
				n, _ := strconv.Atoi(pid)
				r.mu.Lock()
				r.pids = append(r.pids, n)
				r.mu.Unlock()
			}
			r.out <- l
		}
	}()
	t.Cleanup(func() {
		if quick != nil {
			close(quick)
		}
		cancel()
		if r.res == nil {
			select { // not r.result: its Fatalf would skip the kills below
			case res := <-r.done:
				r.res = &res
			case <-time.After(within):
				t.Errorf("Run did not return within %v of cancel", within)
			}
		}
		r.mu.Lock()
		pids := r.pids
		r.mu.Unlock()
		for _, l := range r.log.all() { // apps that never printed a line
			if m := startedPid.FindStringSubmatch(l); m != nil {
				pids = append(pids, atoi(t, m[1]))
			}
		}
		for _, pid := range pids { // by pid and group, never by name
			if ours(pid) {
				_ = syscall.Kill(-pid, syscall.SIGKILL)
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		pw.Close()
		pr.Close()
		if t.Failed() {
			t.Logf("last status lines:\n%s", strings.Join(tail(r.log.all(), 30), "\n"))
		}
	})
	return r
}

// ownerEnv marks the processes this test binary started, so cleanup never
// kills a process that merely reused the pid of one that is gone.
var ownerEnv = "RUNNER_TEST_OWNER=" + strconv.Itoa(os.Getpid())

// ours reports whether pid is alive and was started by this test binary.
// Where /proc is missing it can only say whether pid is alive.
func ours(pid int) bool {
	env, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if errors.Is(err, fs.ErrNotExist) {
		if _, statErr := os.Stat("/proc/self"); statErr != nil {
			return procgroup.PidAlive(pid)
		}
	}
	return err == nil && slices.Contains(strings.Split(string(env), "\x00"), ownerEnv)
}

var startedPid = regexp.MustCompile(`app started \(pid (\d+)\)`)

// result waits for Run to return.
func (r *run) result() result {
	r.t.Helper()
	if r.res == nil {
		select {
		case res := <-r.done:
			r.res = &res
		case <-time.After(within):
			r.t.Fatalf("Run did not return within %v", within)
		}
	}
	return *r.res
}

// next waits for the app's next stdout line containing want.
func (r *run) next(want string) string {
	r.t.Helper()
	deadline := time.After(within)
	for {
		select {
		case l, ok := <-r.out:
			if !ok {
				r.t.Fatalf("app output ended before %q", want)
			}
			if strings.Contains(l, want) {
				return l
			}
		case <-deadline:
			r.t.Fatalf("no %q from the app within %v", want, within)
		}
	}
}

// ready waits for the next "ready" line and returns its fields.
func (r *run) ready() map[string]string {
	r.t.Helper()
	l := r.next("ready ")
	m := map[string]string{}
	for _, f := range strings.Fields(l)[1:] {
		k, v, _ := strings.Cut(f, "=")
		m[k] = v
	}
	return m
}

// send gives Run a trigger.
func (r *run) send(tr trigger.Trigger) {
	r.t.Helper()
	select {
	case r.triggers <- tr:
	case <-time.After(within):
		r.t.Fatalf("Run did not take trigger %+v within %v", tr, within)
	}
}

// field returns the value of key=value in line.
func field(line, key string) string {
	for _, f := range strings.Fields(line) {
		if v, ok := strings.CutPrefix(f, key+"="); ok {
			return v
		}
	}
	return ""
}

func atoi(t testing.TB, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

// waitGone waits until pid no longer exists (reaped, not only dead).
func waitGone(t testing.TB, pid int) {
	t.Helper()
	deadline := time.Now().Add(within)
	for procgroup.PidAlive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still exists after %v", pid, within)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// assertGone checks that pid is already gone, with no waiting: for moments
// when Run must have finished with it.
func assertGone(t testing.TB, pid int, when string) {
	t.Helper()
	if procgroup.PidAlive(pid) {
		t.Errorf("process %d still exists %s", pid, when)
	}
}

// lines is the status printer's writer: it keeps every line, stamped.
type lines struct {
	mu     sync.Mutex
	buf    []byte
	got    []stamped
	notify chan struct{}
}

type stamped struct {
	at   time.Time
	text string
}

func newLines() *lines { return &lines{notify: make(chan struct{}, 1)} }

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := strings.IndexByte(string(l.buf), '\n')
		if i < 0 {
			break
		}
		l.got = append(l.got, stamped{time.Now(), string(l.buf[:i])})
		l.buf = l.buf[i+1:]
	}
	select {
	case l.notify <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (l *lines) snapshot() []stamped {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]stamped(nil), l.got...)
}

func (l *lines) all() []string {
	var out []string
	for _, s := range l.snapshot() {
		out = append(out, s.text)
	}
	return out
}

// count counts status lines containing s.
func (l *lines) count(s string) int {
	n := 0
	for _, line := range l.all() {
		if strings.Contains(line, s) {
			n++
		}
	}
	return n
}

// wait waits until the n-th status line containing s (counting from 1) is
// printed, and returns it.
func (l *lines) wait(t testing.TB, s string, n int) stamped {
	t.Helper()
	deadline := time.After(within)
	for {
		seen := 0
		for _, line := range l.snapshot() {
			if strings.Contains(line.text, s) {
				if seen++; seen == n {
					return line
				}
			}
		}
		select {
		case <-l.notify:
		case <-deadline:
			t.Fatalf("no status line %q (#%d) within %v", s, n, within)
		}
	}
}

// tail keeps the last n of lines.
func tail(lines []string, n int) []string {
	return lines[max(0, len(lines)-n):]
}
