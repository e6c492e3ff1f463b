package watcher

import (
	"path/filepath"
	"testing"
	"time"
)

func TestBuiltinIgnoresCostNoWatch(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		mkdirs(t, root, "src/lib", "node_modules/pkg/lib", ".git/objects", "src/__pycache__", ".reload")
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}})
		// root, src, src/lib, and root's parent (to see root come back after a delete)
		if got := w.Dirs(); got != 4 {
			t.Errorf("Dirs() = %d, want 4: ignored folders must cost no watch", got)
		}
		write(t, filepath.Join(root, "node_modules", "x.js"), "x")
		write(t, filepath.Join(root, "node_modules", "pkg", "lib", "x.js"), "x")
		write(t, filepath.Join(root, ".git", "HEAD"), "x")
		write(t, filepath.Join(root, "src", ".app.js.swp"), "x")
		write(t, filepath.Join(root, "src", "app.js~"), "x")
		write(t, filepath.Join(root, "src", "4913"), "x")
		mkdirs(t, root, "src/lib/node_modules/late") // created while running: still ignored
		write(t, filepath.Join(root, "src", "lib", "node_modules", "late", "x.js"), "x")
		write(t, filepath.Join(root, "src", "sentinel.js"), "x")
		expectBatch(t, w, "src/sentinel.js")
		if got := w.Dirs(); got != 4 {
			t.Errorf("Dirs() = %d after a node_modules appeared, want 4", got)
		}
	})
}

func TestUserIgnoreGlobs(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		mkdirs(t, root, "build/out", "src")
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}, Ignore: []string{"build/**", "*.test.js"}})
		if got := w.Dirs(); got != 3 { // root, src, root's parent
			t.Errorf("Dirs() = %d, want 3: build/** must not be entered", got)
		}
		write(t, filepath.Join(root, "build", "x.js"), "x")
		write(t, filepath.Join(root, "src", "app.test.js"), "x")
		write(t, filepath.Join(root, "src", "app.js"), "x")
		expectBatch(t, w, "src/app.js")
	})
}

func TestGitignoreNestedAncestorAndExclude(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		repo := tempRoot(t)
		root := filepath.Join(repo, "app") // the project sits below the repository top
		mkdirs(t, repo, ".git/info", "app/dist", "app/sub/gen", "app/sub/keep")
		write(t, filepath.Join(repo, ".git", "info", "exclude"), "secret.txt\n")
		write(t, filepath.Join(repo, ".gitignore"), "# from above the project root\n*.log\n")
		write(t, filepath.Join(root, ".gitignore"), "dist/\n")
		write(t, filepath.Join(root, "sub", ".gitignore"), "gen/\n!important.log\n")
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}, Gitignore: true})
		// app, app/sub, app/sub/keep, and app's parent
		if got := w.Dirs(); got != 4 {
			t.Errorf("Dirs() = %d, want 4: gitignored folders must not be entered", got)
		}
		write(t, filepath.Join(root, "dist", "bundle.js"), "x")
		write(t, filepath.Join(root, "sub", "gen", "x.go"), "x")
		write(t, filepath.Join(root, "debug.log"), "x")
		write(t, filepath.Join(root, "sub", "keep", "secret.txt"), "x")
		write(t, filepath.Join(root, "sub", "important.log"), "x") // re-included by the nested file
		expectBatch(t, w, "sub/important.log")

		mkdirs(t, root, "sub/keep/gen") // appears while running: the nested rule still applies
		write(t, filepath.Join(root, "sub", "keep", "gen", "x.go"), "x")
		write(t, filepath.Join(root, "sub", "keep", "main.go"), "x")
		expectBatch(t, w, "sub/keep/main.go")
	})
}

func TestGitignoredRootNamedExplicitly(t *testing.T) {
	t.Parallel()
	root := tempRoot(t)
	mkdirs(t, root, ".git", "dist/chunks", "src")
	write(t, filepath.Join(root, ".gitignore"), "dist/\n*.map\n")
	// reload -w dist: the user asked for the build output, so git's rules are off inside it.
	w := start(t, Options{Root: root, Paths: []string{filepath.Join(root, "dist"), filepath.Join(root, "src")}, Gitignore: true})
	write(t, filepath.Join(root, "dist", "chunks", "a.js"), "x")
	expectBatch(t, w, "dist/chunks/a.js")
	write(t, filepath.Join(root, "src", "a.js.map"), "x") // but they still apply elsewhere
	write(t, filepath.Join(root, "src", "a.js"), "x")
	expectBatch(t, w, "src/a.js")
}

func TestGitignoreOff(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		root := tempRoot(t)
		mkdirs(t, root, "dist")
		write(t, filepath.Join(root, ".gitignore"), "dist/\n")
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}})
		write(t, filepath.Join(root, "dist", "bundle.js"), "x")
		expectBatch(t, w, "dist/bundle.js")
	})
}
