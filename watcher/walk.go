package watcher

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
)

// setup watches one root: a directory root's tree plus its parent (so the
// root coming back after a delete is seen), or a file root's parent.
func (w *Watcher) setup(real string, r root) error {
	parent := filepath.Dir(real)
	w.loadAncestors(parent)
	if !r.isDir {
		if err := w.watchDir(parent, dir{rel: w.relTo(parent)}); err != nil {
			return watchErr(parent, err)
		}
		return nil
	}
	if parent != real {
		if err := w.watchDir(parent, dir{rel: w.relTo(parent)}); err != nil {
			w.log.Debugf("not watching %s, so %s is not noticed if it is deleted and created again: %v", parent, real, err)
		}
	}
	return w.walk(real, r.rel, w.gitApplies(real), nil)
}

// gitApplies reports whether .gitignore rules apply inside a root. A root
// that git ignores (a build output folder, a linked package) was named on
// purpose: inside it the rules would hide everything, so they are off.
func (w *Watcher) gitApplies(real string) bool {
	return w.git != nil && !w.git.Match(real, true)
}

// walk watches top and every directory below it that the filters keep,
// deciding on each directory before descending into it, so an ignored tree
// costs neither a watch nor a read. top itself is not filtered: it is a root
// or was already accepted. git says whether .gitignore rules apply. With
// emit set (a directory that appeared while running), each kept file found
// is reported as created: files written between the mkdir and the new watch
// produced no event.
func (w *Watcher) walk(top, topRel string, git bool, emit func(change)) error {
	return filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == top {
				return err
			}
			if !errors.Is(err, fs.ErrNotExist) { // gone while walking: nothing to miss
				w.warnOnce(p, "cannot read %s, so changes inside it are missed: %v", p, bareErr(err))
			}
			return nil // for a directory WalkDir then skips what it could not read
		}
		if !d.IsDir() {
			if emit != nil {
				if rel := relUnder(top, topRel, p); w.keepFile(p, rel, git) {
					emit(change{rel: rel, created: true})
				}
			}
			return nil
		}
		rel := relUnder(top, topRel, p)
		if p != top && !w.keepDir(p, rel, git) {
			if w.log.Verbose() {
				w.log.Debugf("not watching %s/ (ignored)", rel)
			}
			return fs.SkipDir
		}
		if err := w.watchDir(p, dir{rel: rel, tree: true, git: git}); err != nil {
			if p == top {
				return err
			}
			w.watchFailed(p, err)
			return fs.SkipDir
		}
		if git {
			w.loadIgnore(p)
		}
		return nil
	})
}

// watchDir adds a watch on p unless it has one, and marks it seen by the
// current scan. A directory only ever turns into a tree directory: a parent
// watched for a root's sake can turn out to be inside another root.
func (w *Watcher) watchDir(p string, d dir) error {
	d.gen = w.gen
	if old, ok := w.dirs[p]; ok {
		if old.tree && !d.tree {
			d = old
			d.gen = w.gen
		}
		w.dirs[p] = d
		return nil
	}
	if err := w.be.Add(p); err != nil {
		return err
	}
	w.dirs[p] = d
	w.count.Add(1)
	return nil
}

// watchFailed warns about a directory inside a root that cannot be watched.
func (w *Watcher) watchFailed(p string, err error) {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return // gone again before it could be watched: a build's temp folder
	case errors.Is(err, syscall.ENOSPC):
		w.warnOnce("ENOSPC", "the inotify watch limit is reached after %d directories, so %s and others are not watched; "+
			"raise it with: sudo sysctl fs.inotify.max_user_watches=524288 (add it to /etc/sysctl.conf to keep it)", len(w.dirs), p)
		return
	}
	w.warnOnce(p, "cannot watch %s, so changes inside it are missed: %v", p, bareErr(err))
}

// forget drops a directory that was removed or renamed away. A renamed
// directory takes its subdirectories' watches with it (inotify follows the
// inode), so they are dropped too; a removed one was emptied first, and
// each subdirectory's removal already reported itself.
func (w *Watcher) forget(p string, renamed bool) {
	w.unwatch(p)
	if !renamed {
		return
	}
	prefix := p + string(filepath.Separator)
	for q := range w.dirs {
		if strings.HasPrefix(q, prefix) {
			w.unwatch(q)
		}
	}
}

func (w *Watcher) unwatch(p string) {
	if _, ok := w.dirs[p]; !ok {
		return
	}
	delete(w.dirs, p)
	w.count.Add(-1)
	_ = w.be.Remove(p) // the kernel may have dropped it already: nothing to do then
}

// rescan walks every root again after events were lost: directories created
// meanwhile get watches and directories gone are forgotten.
func (w *Watcher) rescan() {
	w.gen++
	for real, r := range w.roots {
		if err := w.setup(real, r); err != nil {
			w.log.Debugf("rescan: %v", err)
		}
	}
	for p, d := range w.dirs {
		if d.gen != w.gen {
			w.unwatch(p)
		}
	}
}

func (w *Watcher) keepDir(p, rel string, git bool) bool {
	return w.rules.Match(rel, true) && !(git && w.git.Match(p, true))
}

func (w *Watcher) keepFile(p, rel string, git bool) bool {
	return w.rules.Match(rel, false) && !(git && w.git.Match(p, false))
}

// relTo returns p relative to the project root, slash-separated, "" for
// the root itself.
func (w *Watcher) relTo(p string) string {
	rel, err := filepath.Rel(w.root, p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	if rel == "." {
		return ""
	}
	return filepath.ToSlash(rel)
}

// relUnder returns the relative name of p, a path inside top, whose own
// relative name is topRel.
func relUnder(top, topRel, p string) string {
	sub := strings.TrimLeft(p[len(top):], string(filepath.Separator))
	return joinRel(topRel, filepath.ToSlash(sub))
}

func joinRel(parent, name string) string {
	switch {
	case parent == "":
		return name
	case name == "":
		return parent
	}
	return parent + "/" + name
}

// shown is how a relative path appears in a batch: the root itself is ".".
func shown(rel string) string {
	if rel == "" {
		return "."
	}
	return rel
}

// bareErr strips the path from a *fs.PathError: the message names it already.
func bareErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
