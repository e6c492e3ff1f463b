package watcher

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/reload-dev/reload/internal/safefile"
)

// findRepo sets w.base to the repository top (the nearest ancestor of the
// project root, or the root itself, holding .git) and loads its
// .git/info/exclude. Outside a repository the base is the project root.
func (w *Watcher) findRepo() {
	w.base = w.root
	for d := w.root; ; d = filepath.Dir(d) {
		fi, err := os.Lstat(filepath.Join(d, ".git"))
		if err == nil {
			w.base = d
			if fi.IsDir() { // a worktree's .git is a file pointing elsewhere; its exclude is skipped
				w.git.setExclude(d, w.readIgnore(filepath.Join(d, ".git", "info", "exclude"), true))
			}
			return
		}
		if filepath.Dir(d) == d {
			return
		}
	}
}

// loadAncestors loads the .gitignore of every directory from the base down
// to dir, inclusive, so rules written above a root apply inside it. A dir
// outside the base gets none: git would not apply them there either.
func (w *Watcher) loadAncestors(dir string) {
	if w.git == nil || !within(dir, w.base) {
		return
	}
	for d := w.base; ; {
		w.loadIgnore(d)
		if d == dir {
			return
		}
		rest := strings.TrimLeft(dir[len(d):], string(filepath.Separator))
		next, _, _ := strings.Cut(rest, string(filepath.Separator))
		d = filepath.Join(d, next)
	}
}

// loadIgnore (re)reads dir/.gitignore. A missing file forgets its rules,
// which also covers a .gitignore that was deleted. A symlinked one is not
// followed, as git does not follow it.
func (w *Watcher) loadIgnore(dir string) {
	w.git.set(dir, w.readIgnore(filepath.Join(dir, ".gitignore"), false))
}

// readIgnore returns the text of an ignore file, or nil when there is none
// or it cannot be used. Anyone can put a .gitignore in a tree: a FIFO, a
// device, a symlink or a file over 1 MiB is warned about once, by path, and
// skipped, as git says "unable to access" and carries on.
func (w *Watcher) readIgnore(p string, follow bool) []byte {
	text, _, err := safefile.Read(p, follow)
	if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
		w.warnOnce(p, "cannot read %s, so its rules are not applied: %v", p, bareErr(err))
		return nil
	}
	return text
}

// within reports whether p is base or inside it.
func within(p, base string) bool {
	if p == base {
		return true
	}
	if !strings.HasPrefix(p, base) {
		return false
	}
	return strings.HasSuffix(base, string(filepath.Separator)) || p[len(base)] == filepath.Separator
}
