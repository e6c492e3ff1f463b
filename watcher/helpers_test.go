package watcher

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// patience bounds every wait for a batch. Passing tests never wait this long;
// it only decides how slowly a broken test fails.
const patience = 10 * time.Second

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
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return w
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
