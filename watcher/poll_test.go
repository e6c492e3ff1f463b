package watcher

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/status"
)

func TestEventsStartNoPoller(t *testing.T) {
	t.Parallel()
	root := tempRoot(t)
	mkdirs(t, root, "src")
	if fs := remoteFS(root); fs != "" {
		t.Skipf("the temp folder is on %s, which is polled", fs)
	}
	w := start(t, Options{Root: root, Paths: []string{root}})
	if w.poll != nil {
		t.Fatal("a local tree watched through events started a poller: something ticks while idle")
	}
}

func TestPollSaysWhichRootsAndWhy(t *testing.T) {
	t.Parallel()
	root := tempRoot(t)
	mkdirs(t, root, "src", "lib")
	var log logBuffer
	w := start(t, Options{Root: root, Paths: []string{filepath.Join(root, "src"), filepath.Join(root, "lib")},
		Poll: 300 * time.Millisecond, Log: status.New(&log, false, status.Verbose)})
	for _, want := range []string{"polling src every 300ms: --poll is set", "polling lib every 300ms: --poll is set"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("verbose log lacks %q:\n%s", want, log.String())
		}
	}
	if w.poll == nil || !w.allPolled() {
		t.Fatal("Options.Poll did not make the poller the only backend")
	}
}

// TestReplacedByAnotherKind: a file becoming a folder of the same name and
// back is seen, and the new folder is watched, in both modes.
func TestReplacedByAnotherKind(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		write(t, filepath.Join(root, "x"), "file")
		mkdirs(t, root, "d/sub")
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}})
		before := w.Dirs()

		if err := os.Remove(filepath.Join(root, "x")); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(root, "x", "in.js"), "x")
		expectBatch(t, w, "x", "x/in.js")
		write(t, filepath.Join(root, "x", "later.js"), "x") // x is watched as a folder now
		expectBatch(t, w, "x/later.js")

		if err := os.RemoveAll(filepath.Join(root, "d")); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(root, "d"), "now a file")
		if b := waitBatch(t, w, patience); !slices.Contains(b.Paths, "d") {
			t.Fatalf("batch = %q, want it to name d", b.Paths)
		}
		if got, want := w.Dirs(), before+1-2; got != want { // x came, d and d/sub went
			t.Errorf("Dirs() = %d, want %d", got, want)
		}
		write(t, filepath.Join(root, "d"), "edited")
		expectBatch(t, w, "d")
	})
}
