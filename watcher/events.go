package watcher

import (
	"os"
	"path/filepath"

	"github.com/fsnotify/fsnotify"
)

// handle turns one backend event into changes, and keeps the watch set in
// step: new directories are walked, removed or renamed ones forgotten.
func (w *Watcher) handle(ev fsnotify.Event, emit func(change)) {
	p := ev.Name
	r, isRoot := w.roots[p]
	parent, ok := w.dirs[filepath.Dir(p)]
	if !isRoot && (!ok || !parent.tree) {
		// A stale event from a forgotten directory, or a root's parent's
		// other entries. But a directory still watched that reports itself
		// gone is forgotten: a polled folder under a removed one whose
		// inotify watch was dropped (past the watch limit) says so only itself.
		if _, watched := w.dirs[p]; watched && (ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)) {
			w.forget(p, true)
		}
		return
	}
	if ev.Op&^fsnotify.Chmod == 0 {
		// A chmod alone is not a change, but touch (which inotify also
		// reports only as an attribute change) is.
		_, watched := w.dirs[p]
		switch {
		case touched(p):
			ev.Op = fsnotify.Write
		case !watched && isFolder(p):
			// A folder that could not be read, so is not watched (inotify
			// needs read permission to watch one): its mode, owner or ACL
			// changed, so it may be readable now. Try it as if it had
			// just appeared; still unreadable, it is not said again.
			ev.Op = fsnotify.Create
		default:
			return
		}
	}
	if isRoot {
		w.handleRoot(p, r, ev, emit)
		return
	}
	rel := joinRel(parent.rel, filepath.Base(p))
	if parent.git && filepath.Base(p) == ".gitignore" {
		w.loadIgnore(filepath.Dir(p)) // later events follow the new rules; already watched directories stay
	}

	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		if d, ok := w.dirs[p]; ok {
			// A polled directory's subdirectories may be polled too, and
			// a poller finds a folder gone once its parent is: drop them all.
			w.forget(p, ev.Has(fsnotify.Rename) || d.polled)
			emit(change{rel: rel})
			return
		}
		// Not a watched directory, but maybe an ignored one (a build cleaning
		// its output folder): checking it as a directory too avoids a spurious change.
		if w.keepFile(p, rel, parent.git) && w.keepDir(p, rel, parent.git) {
			emit(change{rel: rel})
		}
		return
	}

	isDir := false
	if ev.Has(fsnotify.Create) {
		// A failed Lstat means it is already gone again: still report the
		// create, so the debouncer can tell an editor's temp file that came
		// and went from a real file that was deleted.
		if fi, err := os.Lstat(p); err == nil {
			isDir = fi.IsDir()
		}
	} else if _, ok := w.dirs[p]; ok {
		return // a directory's own Write (kqueue, Windows): its entries report for themselves
	}
	if !isDir {
		if w.keepFile(p, rel, parent.git) {
			emit(change{rel: rel, created: ev.Has(fsnotify.Create)})
		}
		return
	}
	if d, ok := w.dirs[p]; (ok && d.tree) || !w.keepDir(p, rel, parent.git) {
		return // already walked (found by its parent's walk), or ignored
	}
	w.walkNew(p, dir{rel: rel, git: parent.git, poll: parent.poll}, emit)
}

// handleRoot handles an event on a root itself: a file root's changes are
// always reported (the user named it), unless it appears as a folder, which
// makes it a folder root; a directory root deleted is forgotten and, created
// again, watched again.
func (w *Watcher) handleRoot(p string, r root, ev fsnotify.Event, emit func(change)) {
	gone := ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)
	if !r.isDir {
		if ev.Has(fsnotify.Create) && !gone && isFolder(p) {
			// Named before it existed (or replaced since), it is a folder
			// after all: a folder root from now on.
			r.isDir = true
			w.roots[p] = r
			w.walkNew(p, dir{rel: r.rel, git: w.gitApplies(p), poll: r.poll}, emit)
			return
		}
		emit(change{rel: r.rel, created: ev.Has(fsnotify.Create) && !gone})
		return
	}
	switch {
	case gone:
		if _, ok := w.dirs[p]; ok {
			w.forget(p, true)
			emit(change{rel: shown(r.rel)})
		}
	case ev.Has(fsnotify.Create):
		if d, ok := w.dirs[p]; ok && d.tree {
			return
		}
		if fi, err := os.Lstat(p); err != nil || !fi.IsDir() {
			return
		}
		w.walkNew(p, dir{rel: r.rel, git: w.gitApplies(p), poll: r.poll}, emit)
	}
}

// walkNew watches a directory that appeared while running and reports the
// files already inside it.
func (w *Watcher) walkNew(p string, d dir, emit func(change)) {
	if err := w.walk(p, d, emit); err != nil {
		w.watchFailed(p, err)
	}
}

// isFolder reports whether p is a directory (not following a symlink).
func isFolder(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.IsDir()
}
