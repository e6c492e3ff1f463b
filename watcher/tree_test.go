package watcher

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSymlinkLoopsAreNotFollowed(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		mkdirs(t, root, "a")
		write(t, filepath.Join(root, "x.js"), "x")
		for link, target := range map[string]string{
			"a/loop":      "..", // back to root: a walk that followed it would never end
			"a/self":      ".",
			"up":          "/",
			"dangling":    "nope",
			"a/file-link": "../x.js",
		} {
			if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
				t.Fatal(err)
			}
		}
		made := make(chan error, 1)
		var w *Watcher
		go func() {
			var err error
			w, err = New(Options{Poll: poll, Root: root, Paths: []string{root}, Delay: 50 * time.Millisecond})
			made <- err
		}()
		select {
		case err := <-made:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(patience):
			t.Fatal("New did not return: the walk followed a symlink loop")
		}
		run(t, w)
		if got := w.Dirs(); got != 3 { // root's parent, root, a
			t.Errorf("Dirs() = %d, want 3: symlinked folders must not be entered", got)
		}
		write(t, filepath.Join(root, "a", "loop", "new.js"), "x") // root/new.js, by its real name only
		expectBatch(t, w, "new.js")
	})
}

func TestDirRenamedOutOfRootIsForgotten(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		away := tempRoot(t)
		write(t, filepath.Join(root, "src", "lib", "a.js"), "x")
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}})
		if err := os.Rename(filepath.Join(root, "src"), filepath.Join(away, "src")); err != nil {
			t.Fatal(err)
		}
		expectBatch(t, w, "src")
		if got := w.Dirs(); got != 2 { // root and its parent
			t.Errorf("Dirs() = %d after src moved away, want 2", got)
		}
		write(t, filepath.Join(away, "src", "lib", "b.js"), "x") // no longer ours
		write(t, filepath.Join(root, "sentinel.js"), "x")
		expectBatch(t, w, "sentinel.js")
	})
}
