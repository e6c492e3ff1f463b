//go:build unix

package watcher

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/safefile"
	"github.com/reload-dev/reload/internal/status"
)

// TestHostileIgnoreFiles: a FIFO .gitignore (a read would wait forever for
// a writer), one symlinked to /dev/zero (a read would never end), a FIFO
// .git/info/exclude and a .gitignore over 1 MiB are each warned about once,
// by path, and skipped; the rules of the ordinary .gitignore still apply.
func TestHostileIgnoreFiles(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		mkdirs(t, root, ".git/info", "fifo", "zero", "big", "src")
		write(t, filepath.Join(root, ".gitignore"), "*.log\n")
		write(t, filepath.Join(root, "big", ".gitignore"), strings.Repeat("#", safefile.MaxSize+1))
		for _, p := range []string{"fifo/.gitignore", ".git/info/exclude"} {
			if err := syscall.Mkfifo(filepath.Join(root, p), 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}
		if err := os.Symlink("/dev/zero", filepath.Join(root, "zero", ".gitignore")); err != nil {
			t.Fatal(err)
		}
		var log logBuffer
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}, Gitignore: true, Log: status.New(&log, false, status.Info)})
		for _, p := range []string{"fifo/.gitignore", "zero/.gitignore", "big/.gitignore", ".git/info/exclude"} {
			if n := strings.Count(log.String(), filepath.Join(root, p)+","); n != 1 {
				t.Errorf("want one warning naming %s, got %d:\n%s", p, n, log.String())
			}
		}
		write(t, filepath.Join(root, "src", "x.log"), "x")
		write(t, filepath.Join(root, "zero", "a.js"), "x")
		expectBatch(t, w, "zero/a.js")
	})
}
