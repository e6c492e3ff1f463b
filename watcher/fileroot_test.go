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

// TestFileRootNotThereYet: the trigger-file convention of sync tools. A root
// that is missing at the start, in a folder that exists, is watched for; its
// creation, every change, its deletion and its creation again are reported,
// and nothing else in its folder is.
func TestFileRootNotThereYet(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		trigger := filepath.Join(root, ".restart")
		var log logBuffer
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{trigger}, Ext: []string{"js"},
			Log: status.New(&log, false, status.Info)})
		if got := log.String(); !strings.Contains(got, trigger+" does not exist yet") {
			t.Errorf("log = %q, want a line saying %s is watched for", got, trigger)
		}
		if got := w.Dirs(); got != 1 {
			t.Errorf("Dirs() = %d, want 1 (only the folder that will hold it)", got)
		}

		// A sync copying files in steps: none of them counts, the trigger does.
		write(t, filepath.Join(root, "app.js"), "x")
		write(t, filepath.Join(root, "lib", "util.js"), "x")
		write(t, trigger, "")
		expectBatch(t, w, ".restart")

		write(t, trigger, "2") // as `date > /tmp/.restart-proc` in Tilt's convention
		expectBatch(t, w, ".restart")

		if err := os.Remove(trigger); err != nil {
			t.Fatal(err)
		}
		expectBatch(t, w, ".restart") // deleting is a change, as for any file
		write(t, filepath.Join(root, "app.js"), "y")
		write(t, trigger, "again")
		expectBatch(t, w, ".restart")
	})
}

// TestFileRootOutsideProject: the trigger file lives in /tmp while the
// project is elsewhere (reload --watch /tmp/.restart in a container whose
// project is /app); its batch path leads out of the project root.
func TestFileRootOutsideProject(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root, tmp := tempRoot(t), tempRoot(t)
		trigger := filepath.Join(tmp, ".restart")
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{trigger}})
		want, err := filepath.Rel(root, trigger)
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(tmp, "other"), "x")
		write(t, filepath.Join(root, "app.js"), "x")
		write(t, trigger, "")
		expectBatch(t, w, filepath.ToSlash(want))
	})
}

// TestMissingRootAppearsAsFolder: a root named before it exists that turns
// out to be a folder is watched as one, recursively, from then on.
func TestMissingRootAppearsAsFolder(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		gen := filepath.Join(root, "gen")
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{gen}})
		write(t, filepath.Join(gen, "sub", "a.js"), "x")
		if b := waitBatch(t, w, patience); !slices.Contains(b.Paths, "gen/sub/a.js") {
			t.Fatalf("batch = %q, want gen/sub/a.js (the files found in the new folder)", b.Paths)
		}
		write(t, filepath.Join(gen, "sub", "b.js"), "x")
		expectBatch(t, w, "gen/sub/b.js")
	})
}
