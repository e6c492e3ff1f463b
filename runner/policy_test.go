package runner

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestBackoffNext(t *testing.T) {
	t.Parallel()
	b := Backoff{Initial: 100 * time.Millisecond, Max: time.Second, ResetAfter: 5 * time.Second}
	ms := time.Millisecond
	for _, tc := range []struct {
		streak     int
		uptime     time.Duration
		wantStreak int
		wantDelay  time.Duration
	}{
		{0, 0, 1, 100 * ms},
		{1, 10 * ms, 2, 200 * ms},
		{2, 10 * ms, 3, 400 * ms},
		{3, 10 * ms, 4, 800 * ms},
		{4, 10 * ms, 5, time.Second}, // capped
		{60, 10 * ms, 61, time.Second},
		{1 << 40, 0, 1<<40 + 1, time.Second}, // no overflow, no long loop
		{7, 4999 * ms, 8, time.Second},       // just short of reset_after
		{7, 5 * time.Second, 1, 100 * ms},    // ran long enough: a new streak
	} {
		gotStreak, gotDelay := b.next(tc.streak, tc.uptime)
		if gotStreak != tc.wantStreak || gotDelay != tc.wantDelay {
			t.Errorf("next(%d, %v) = (%d, %v); want (%d, %v)",
				tc.streak, tc.uptime, gotStreak, gotDelay, tc.wantStreak, tc.wantDelay)
		}
	}
}

func TestBackoffDefaults(t *testing.T) {
	t.Parallel()
	got := Backoff{}.withDefaults()
	want := Backoff{Initial: 100 * time.Millisecond, Max: 10 * time.Second, ResetAfter: 5 * time.Second}
	if got != want {
		t.Errorf("zero Backoff = %+v; want %+v", got, want)
	}
	if got := (Backoff{Initial: time.Minute, Max: time.Second}).withDefaults(); got.Max != time.Minute {
		t.Errorf("Max below Initial became %v; want Initial (1m)", got.Max)
	}
}

func TestRound(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{420 * time.Microsecond, "400µs"},
		{1234567 * time.Nanosecond, "1ms"},
		{1500 * time.Millisecond, "1.5s"},
		{61*time.Second + 600*time.Millisecond, "1m2s"},
	} {
		if got := round(tc.d).String(); got != tc.want {
			t.Errorf("round(%v) = %s; want %s", tc.d, got, tc.want)
		}
	}
}

func TestEndingKind(t *testing.T) {
	t.Parallel()
	notFound := &exec.Error{Name: "node", Err: exec.ErrNotFound}
	denied := &os.PathError{Op: "fork/exec", Path: "./app", Err: syscall.EACCES}
	for _, tc := range []struct {
		e          ending
		foreground bool
		want       endKind
		status     int
	}{
		{ending{code: 0}, false, clean, 0},
		{ending{code: 3}, false, crashed, 3},
		{ending{code: -1, sig: syscall.SIGSEGV}, false, crashed, 128 + int(syscall.SIGSEGV)},
		{ending{code: -1, sig: syscall.SIGKILL}, false, crashed, 137},
		{ending{code: -1, sig: syscall.SIGTERM}, false, asked, 143},
		{ending{code: -1, sig: syscall.SIGHUP}, false, asked, 129},
		{ending{code: -1, sig: syscall.SIGPIPE}, false, asked, 128 + int(syscall.SIGPIPE)},
		{ending{code: -1, sig: syscall.SIGINT}, false, asked, 130},
		{ending{code: -1, sig: syscall.SIGINT}, true, interrupted, 130},
		{ending{code: 130}, true, interrupted, 130},
		{ending{code: 130}, false, crashed, 130},
		{ending{code: 127}, false, cannotStart, 127},
		{ending{code: 126}, false, notExecutable, 126},
		{ending{startErr: notFound}, false, cannotStart, 127},
		{ending{startErr: denied}, false, notExecutable, 126},
		{ending{startErr: fmt.Errorf("working directory: %w", os.ErrNotExist)}, false, notExecutable, 126},
	} {
		if got := tc.e.kind(tc.foreground); got != tc.want {
			t.Errorf("%+v (foreground %v): kind %d; want %d", tc.e, tc.foreground, got, tc.want)
		}
		if got := tc.e.status(); got != tc.status {
			t.Errorf("%+v: status %d; want %d", tc.e, got, tc.status)
		}
	}
	if got := (ending{startErr: notFound}).startProblem("x"); got != `"node": executable file not found in $PATH` {
		t.Errorf("startProblem = %s", got)
	}
	if !errors.Is(denied, syscall.EACCES) {
		t.Fatal("test setup")
	}
}

func TestAppEnv(t *testing.T) {
	t.Parallel()
	base := []string{"PATH=/bin", "RELOAD_RESTARTS=7"}
	env := appEnv(base, 2, []string{"a", "b"})
	sep := string(os.PathListSeparator)
	self := "RELOAD_PID=" + strconv.Itoa(os.Getpid())
	if want := []string{"PATH=/bin", "RELOAD_RESTARTS=7", self, "RELOAD_RESTARTS=2", "RELOAD_CHANGED=a" + sep + "b"}; strings.Join(env, "\n") != strings.Join(want, "\n") {
		t.Errorf("appEnv = %q; want %q (ours last, so they win)", env, want)
	}
	if len(base) != 2 {
		t.Error("appEnv changed its base")
	}
	if got := joinPaths([]string{"aaa", "bbb", "ccc"}, 7); got != "aaa"+sep+"bbb" {
		t.Errorf("joinPaths capped at 7 = %q; want whole paths only", got)
	}
	if got := joinPaths([]string{"toolong"}, 3); got != "" {
		t.Errorf("joinPaths of one path over the cap = %q; want empty", got)
	}
	many := make([]string, 10000)
	for i := range many {
		many[i] = fmt.Sprintf("src/components/widget%05d/index.js", i)
	}
	if got := joinPaths(many, maxChangedEnv); len(got) > maxChangedEnv || len(got) < maxChangedEnv-100 {
		t.Errorf("10,000 paths joined to %d bytes; want just under %d", len(got), maxChangedEnv)
	}
}
