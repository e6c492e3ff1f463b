package watcher

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/testwait"
)

// patience bounds every wait for a batch. Passing tests never wait this long;
// it only decides how slowly a broken test fails.
const patience = 10 * time.Second

// pollEvery is the polling interval of the tests' polling mode: shorter
// than their quiet period, so one scan's findings make one batch.
const pollEvery = 20 * time.Millisecond

// bothModes runs a test once with file events and once polling: the two
// backends must behave alike, down to the exact batches.
func bothModes(t *testing.T, test func(t *testing.T, poll time.Duration)) {
	for _, m := range []struct {
		name string
		poll time.Duration
	}{{"events", 0}, {"poll", pollEvery}} {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			test(t, m.poll)
		})
	}
}

// tempRoot returns a fresh project root with symlinks resolved, as main passes it.
func tempRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// start creates a watcher (every watch is in place when it returns) and runs
// it until the test ends.
func start(t *testing.T, opts Options) *Watcher {
	t.Helper()
	if opts.Delay == 0 {
		opts.Delay = 50 * time.Millisecond
	}
	w, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	run(t, w)
	return w
}

// run runs w until the test ends.
func run(t *testing.T, w *Watcher) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

// waitBatch returns the next batch, failing the test if none comes in time.
func waitBatch(t *testing.T, w *Watcher, within time.Duration) Batch {
	t.Helper()
	select {
	case b, ok := <-w.Batches():
		if !ok {
			t.Fatal("Batches closed while waiting for a batch")
		}
		return b
	case <-time.After(within):
		t.Fatalf("no batch within %v", within)
	}
	return Batch{}
}

// expectBatch waits for the next batch and checks it holds exactly want.
// Written after an action that must not count, a sentinel file proves the
// absence: had the action counted, its path would come first.
func expectBatch(t *testing.T, w *Watcher, want ...string) {
	t.Helper()
	b := waitBatch(t, w, patience)
	if !slices.Equal(b.Paths, want) || b.Rescan {
		t.Fatalf("batch = %q (rescan %v), want %q", b.Paths, b.Rescan, want)
	}
}

// write creates or overwrites a file, making its directory first.
func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// mkdirs creates directories below root.
func mkdirs(t *testing.T, root string, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// logBuffer collects status lines; the watcher writes them from its own
// goroutine while the test reads.
type logBuffer struct{ testwait.Buffer }

// lines returns the lines written so far.
func (l *logBuffer) lines() []string {
	s := strings.TrimSpace(l.String())
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
