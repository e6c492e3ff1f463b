package watcher

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/status"
)

// limited is the real fsnotify backend with a watch limit of its own: past
// it, Add fails with ENOSPC as inotify_add_watch does past
// fs.inotify.max_user_watches. That limit is global to the machine, so a
// test must not lower it; this seam is the only stand-in in the package.
type limited struct {
	*notify
	left int
}

func (l *limited) Add(dir string) error {
	if l.left == 0 {
		return syscall.ENOSPC // what fsnotify returns: the bare errno
	}
	l.left--
	return l.notify.Add(dir)
}

func (l *limited) Remove(dir string) error {
	l.left++
	return l.notify.Remove(dir)
}

func TestWatchLimitFallsBackToPolling(t *testing.T) {
	t.Parallel()
	root := tempRoot(t)
	mkdirs(t, root, "a/b", "c")
	n, err := newNotify()
	if err != nil {
		t.Fatal(err)
	}
	var log logBuffer
	// Two watches: root's parent and root. a, a/b and c are past the limit.
	w, err := newWatcher(Options{Root: root, Paths: []string{root}, Delay: 50 * time.Millisecond, Log: status.New(&log, false, status.Verbose)}, &limited{notify: n, left: 2})
	if err != nil {
		t.Fatal(err)
	}
	run(t, w)
	if got := w.Dirs(); got != 5 {
		t.Errorf("Dirs() = %d, want 5: the folders past the limit count too", got)
	}
	warnings := func() int { return strings.Count(log.String(), "sudo sysctl fs.inotify.max_user_watches=524288") }
	if warnings() != 1 || !strings.Contains(log.String(), "3 folders are polled every 500ms: the inotify watch limit was reached") {
		t.Fatalf("want one warning naming the sysctl and a verbose count of polled folders, log:\n%s", log.String())
	}

	write(t, filepath.Join(root, "a", "b", "x.js"), "x")
	expectBatch(t, w, "a/b/x.js")
	write(t, filepath.Join(root, "c", "new", "deep", "y.js"), "x") // new folders past the limit: polled too
	expectBatch(t, w, "c/new/deep/y.js")
	if err := os.Remove(filepath.Join(root, "c", "new", "deep", "y.js")); err != nil {
		t.Fatal(err)
	}
	expectBatch(t, w, "c/new/deep/y.js")

	// A polled tree under a watched folder, removed: inotify reports a, the
	// poller what it saw of the rest; every watch below a goes.
	if err := os.RemoveAll(filepath.Join(root, "a")); err != nil {
		t.Fatal(err)
	}
	var seen []string
	for !slices.Contains(seen, "a") {
		seen = append(seen, waitBatch(t, w, patience).Paths...)
	}
	for _, p := range seen {
		if p != "a" && p != "a/b" && p != "a/b/x.js" {
			t.Errorf("removing a reported %q", p)
		}
	}
	if got := w.Dirs(); got != 5 { // root's parent, root, c, c/new, c/new/deep
		t.Errorf("Dirs() = %d after removing a, want 5", got)
	}
	write(t, filepath.Join(root, "a", "b", "z.js"), "x") // created again: watched again
	expectBatch(t, w, "a/b/z.js")
	write(t, filepath.Join(root, "a", "b", "z.js"), "xy")
	expectBatch(t, w, "a/b/z.js")
	if warnings() != 1 {
		t.Errorf("the limit was warned about %d times, want once:\n%s", warnings(), log.String())
	}
}

func TestNoEventsLeftPollsEverything(t *testing.T) {
	t.Parallel()
	root := tempRoot(t)
	mkdirs(t, root, "src")
	var log logBuffer
	// What fsnotify returns past fs.inotify.max_user_instances, a limit a
	// test must not exhaust: every other process of the user shares it.
	noInotify := func() (backend, error) { return nil, fmt.Errorf("couldn't initialize inotify: %w", syscall.EMFILE) }
	w, err := newWith(Options{Root: root, Paths: []string{root}, Delay: 50 * time.Millisecond,
		Log: status.New(&log, false, status.Verbose)}, noInotify)
	if err != nil {
		t.Fatalf("no inotify instance left must not stop watching: %v", err)
	}
	run(t, w)
	if !w.allPolled() || strings.Count(log.String(), "sysctl fs.inotify.max_user_instances=1024") != 2 { // the warning, and verbose's reason for the root
		t.Fatalf("want everything polled, with the limit named; log:\n%s", log.String())
	}
	write(t, filepath.Join(root, "src", "a.js"), "x")
	expectBatch(t, w, "src/a.js")
}
