package watcher

import (
	"os"
	"path/filepath"
	"strings"
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
				if text, err := os.ReadFile(filepath.Join(d, ".git", "info", "exclude")); err == nil {
					w.git.setExclude(d, text)
				}
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
// which also covers a .gitignore that was deleted.
func (w *Watcher) loadIgnore(dir string) {
	text, err := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if err != nil && !os.IsNotExist(err) {
		w.warnOnce(filepath.Join(dir, ".gitignore"), "cannot read %s, so its rules are not applied: %v", filepath.Join(dir, ".gitignore"), bareErr(err))
	}
	w.git.set(dir, text)
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
