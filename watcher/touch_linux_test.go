package watcher

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// touch sets both times to now the way touch(1) does (UTIME_NOW), which
// inotify reports only as an attribute change.
func touch(t *testing.T, path string) {
	t.Helper()
	now := unix.Timespec{Nsec: unix.UTIME_NOW}
	if err := unix.UtimesNanoAt(unix.AT_FDCWD, path, []unix.Timespec{now, now}, 0); err != nil {
		t.Fatal(err)
	}
}

func TestTouchIsChange(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		file := filepath.Join(root, "app.js")
		write(t, file, "x")
		old := time.Now().Add(-time.Hour)
		if err := os.Chtimes(file, old, old); err != nil {
			t.Fatal(err)
		}
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}})
		touch(t, file)
		expectBatch(t, w, "app.js")
	})
}
