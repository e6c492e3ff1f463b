package watcher

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestWriteIsReported(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		mkdirs(t, root, "src")
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}})
		write(t, filepath.Join(root, "src", "app.js"), "1")
		expectBatch(t, w, "src/app.js")
		write(t, filepath.Join(root, "src", "app.js"), "2")
		expectBatch(t, w, "src/app.js")
	})
}

func TestExtFilter(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}, Ext: []string{"js"}})
		write(t, filepath.Join(root, "notes.txt"), "x")
		write(t, filepath.Join(root, "app.js"), "x")
		expectBatch(t, w, "app.js")
	})
}

func TestNewDirWithFileWrittenAtOnce(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}})
		before := w.Dirs()
		// No pause: x.js is usually written before the watcher has even seen a/,
		// so only the walk of the new directory can find it.
		if err := os.MkdirAll(filepath.Join(root, "a", "b", "c"), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(root, "a", "b", "c", "x.js"), "x")
		expectBatch(t, w, "a/b/c/x.js")
		if got := w.Dirs(); got != before+3 {
			t.Errorf("Dirs() = %d, want %d: a, a/b and a/b/c watched", got, before+3)
		}
		write(t, filepath.Join(root, "a", "b", "c", "y.js"), "x")
		expectBatch(t, w, "a/b/c/y.js")
	})
}

func TestDirMovedInReportsItsFiles(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		outside := tempRoot(t)
		write(t, filepath.Join(outside, "pkg", "sub", "x.js"), "x") // never produced an event in root
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}})
		if err := os.Rename(filepath.Join(outside, "pkg"), filepath.Join(root, "pkg")); err != nil {
			t.Fatal(err)
		}
		expectBatch(t, w, "pkg/sub/x.js")
		write(t, filepath.Join(root, "pkg", "sub", "y.js"), "x")
		expectBatch(t, w, "pkg/sub/y.js")
	})
}

func TestAtomicSaveIsOneChange(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		file := filepath.Join(root, "app.js")
		write(t, file, "old")
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}})
		tmp := filepath.Join(root, "app.js.tmp.4242") // no ext filter and not a built-in name
		write(t, tmp, "new")
		if err := os.Rename(tmp, file); err != nil {
			t.Fatal(err)
		}
		expectBatch(t, w, "app.js")
	})
}

func TestDeleteIsChange(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		write(t, filepath.Join(root, "app.js"), "x")
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}})
		if err := os.Remove(filepath.Join(root, "app.js")); err != nil {
			t.Fatal(err)
		}
		expectBatch(t, w, "app.js")
	})
}

func TestChmodAloneIsNoChange(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		write(t, filepath.Join(root, "app.sh"), "x")
		// An old file, as in real life: a chmod in the same clock tick as the
		// write would look like a touch (equal mtime and ctime).
		old := time.Now().Add(-time.Hour)
		if err := os.Chtimes(filepath.Join(root, "app.sh"), old, old); err != nil {
			t.Fatal(err)
		}
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}})
		if err := os.Chmod(filepath.Join(root, "app.sh"), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(root, "sentinel"), "x")
		expectBatch(t, w, "sentinel")
	})
}

func TestManyFilesAtOnceAreOneBatch(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		mkdirs(t, root, "src")
		// A longer quiet period than elsewhere: a 2-core machine running the race
		// detector can stall the writer for tens of milliseconds mid-burst.
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}, Delay: 300 * time.Millisecond})
		const n = 2000
		want := make([]string, n)
		for i := range n {
			want[i] = fmt.Sprintf("src/f%04d.js", i)
			write(t, filepath.Join(root, filepath.FromSlash(want[i])), "x")
		}
		b := waitBatch(t, w, patience)
		if !slices.Equal(b.Paths, want) {
			t.Fatalf("batch has %d paths (first %q), want exactly the %d written", len(b.Paths), b.Paths[:min(3, len(b.Paths))], n)
		}
		write(t, filepath.Join(root, "sentinel"), "x")
		expectBatch(t, w, "sentinel")
	})
}

func TestFileRoot(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		mkdirs(t, root, "sub")
		main := filepath.Join(root, "main.go")
		write(t, main, "x")
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{main}, Ext: []string{"js"}})
		if got := w.Dirs(); got != 1 {
			t.Errorf("Dirs() = %d, want 1 (only the file's folder)", got)
		}
		write(t, filepath.Join(root, "other.js"), "x")
		write(t, filepath.Join(root, "sub", "x.js"), "x")
		write(t, main, "y") // reported even though the ext filter says js: the user named it
		expectBatch(t, w, "main.go")

		// Saved by rename, the file is still seen: it is its folder that is watched.
		tmp := filepath.Join(root, "main.go.tmp")
		write(t, tmp, "z")
		if err := os.Rename(tmp, main); err != nil {
			t.Fatal(err)
		}
		expectBatch(t, w, "main.go")
	})
}

func TestRootDeletedAndCreatedAgain(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		src := filepath.Join(root, "src")
		mkdirs(t, root, "src/lib")
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{src}})
		if err := os.RemoveAll(src); err != nil {
			t.Fatal(err)
		}
		if b := waitBatch(t, w, patience); !slices.Contains(b.Paths, "src") {
			t.Fatalf("batch after deleting the root = %q, want it to name src", b.Paths)
		}
		write(t, filepath.Join(src, "lib", "x.js"), "x")
		expectBatch(t, w, "src/lib/x.js")
		write(t, filepath.Join(src, "lib", "y.js"), "x")
		expectBatch(t, w, "src/lib/y.js")
	})
}

func TestRenamedDirIsWatchedUnderItsNewName(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		mkdirs(t, root, "old/deep")
		write(t, filepath.Join(root, "old", "deep", "a.js"), "x")
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}})
		before := w.Dirs()
		if err := os.Rename(filepath.Join(root, "old"), filepath.Join(root, "new")); err != nil {
			t.Fatal(err)
		}
		expectBatch(t, w, "new/deep/a.js", "old")
		if got := w.Dirs(); got != before {
			t.Errorf("Dirs() = %d after a rename, want %d", got, before)
		}
		write(t, filepath.Join(root, "new", "deep", "b.js"), "x")
		expectBatch(t, w, "new/deep/b.js")
	})
}

func TestSymlinks(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		elsewhere := tempRoot(t)
		mkdirs(t, elsewhere, "lib")
		mkdirs(t, root, "src")
		// A symlinked folder inside a root is not followed (no loops, no extra watches)...
		if err := os.Symlink(elsewhere, filepath.Join(root, "src", "loop")); err != nil {
			t.Fatal(err)
		}
		// ...but a root that is a symlink is resolved, and reported by the name given.
		if err := os.Symlink(filepath.Join(elsewhere, "lib"), filepath.Join(root, "linked")); err != nil {
			t.Fatal(err)
		}
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{filepath.Join(root, "src"), filepath.Join(root, "linked")}})
		// src, src's parent (root), elsewhere/lib, and its parent (elsewhere)
		if got := w.Dirs(); got != 4 {
			t.Errorf("Dirs() = %d, want 4", got)
		}
		write(t, filepath.Join(elsewhere, "lib", "x.js"), "x")
		expectBatch(t, w, "linked/x.js")
	})
}

func TestRootReachedThroughASymlinkedAncestor(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		real := tempRoot(t)
		link := filepath.Join(tempRoot(t), "link")
		if err := os.Symlink(real, link); err != nil {
			t.Fatal(err)
		}
		mkdirs(t, real, "src")
		// Root resolved, as main passes it, but the path to watch not (macOS's /tmp).
		w := start(t, Options{Poll: poll, Root: real, Paths: []string{filepath.Join(link, "src")}})
		write(t, filepath.Join(real, "src", "a.js"), "x")
		expectBatch(t, w, "src/a.js")
	})
}

// A missing root is an error when the folder that would hold it is missing
// too (or is no folder); one whose folder exists is watched for (fileroot_test.go).
func TestMissingRootIsAnErrorNamingIt(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		write(t, filepath.Join(root, "file"), "x")
		for _, missing := range []string{filepath.Join(root, "nope", "deeper"), filepath.Join(root, "file", "x")} {
			_, err := New(Options{Poll: poll, Root: root, Paths: []string{root, missing}})
			if err == nil || !strings.Contains(err.Error(), missing) {
				t.Fatalf("New with a missing root: error %v, want one naming %s", err, missing)
			}
		}
	})
}

func TestRunStopsAndClosesBatches(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		w, err := New(Options{Poll: poll, Root: root, Paths: []string{root}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- w.Run(ctx) }()
		write(t, filepath.Join(root, "a.js"), "x") // a change nobody collects must not block shutdown
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run = %v, want nil after cancel", err)
			}
		case <-time.After(patience):
			t.Fatal("Run did not return after cancel")
		}
		for range w.Batches() { // drains to closed; a batch may have been sent before the cancel
		}
	})
}
