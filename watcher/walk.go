package watcher

import (
	"errors"
	"io/fs"
	"os"
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
		if err := w.watchDir(parent, dir{rel: w.relTo(parent), poll: r.poll}); err != nil {
			return watchErr(parent, err)
		}
		return nil
	}
	if parent != real {
		if err := w.watchDir(parent, dir{rel: w.relTo(parent), poll: r.poll}); err != nil {
			w.log.Debugf("not watching %s, so %s is not noticed if it is deleted and created again: %v", parent, real, err)
		}
	}
	return w.walk(real, dir{rel: r.rel, git: w.gitApplies(real), poll: r.poll}, nil)
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
// or was already accepted; d says how to watch it (its rel, whether
// .gitignore rules apply, whether it is polled), and its subdirectories
// inherit that. With emit set (a directory that appeared while running), each
// kept file found is reported as created: files written between the mkdir
// and the new watch produced no event.
//
// It is filepath.WalkDir without the per-file cost: each directory is listed
// once into a reused buffer and judged by name and type alone, so only the
// directories kept allocate. Symlinks are not followed. Order differs from
// WalkDir's (no sorting), which nothing depends on.
func (w *Watcher) walk(top string, d dir, emit func(change)) error {
	d.tree = true
	if fi, err := os.Lstat(top); err == nil {
		d.ino = inode(fi)
	}
	if err := w.watchDir(top, d); err != nil {
		return err
	}
	type todo struct{ path, rel string }
	type sub struct {
		name string
		ino  uint64
	}
	stack := []todo{{top, d.rel}}
	var subdirs []sub
	var files []string
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		subdirs, files = subdirs[:0], files[:0]
		hasIgnore := false
		err := w.rd.list(cur.path, false, func(name []byte, e entry) {
			switch {
			case e.kind == kindDir:
				subdirs = append(subdirs, sub{string(name), e.ino})
			case emit != nil:
				files = append(files, string(name))
			}
			if string(name) == ".gitignore" {
				hasIgnore = true
			}
		})
		if err != nil {
			if cur.path == top {
				return err
			}
			if !gone(err) { // gone while walking: nothing to miss
				w.missed(cur.path, "read", err)
			}
			continue
		}
		if d.git && (hasIgnore || w.git.has(cur.path)) {
			w.loadIgnore(cur.path) // before judging its entries; reading it again also forgets a deleted one
		}
		for _, name := range files {
			p, rel := cur.path+string(filepath.Separator)+name, joinRel(cur.rel, name)
			if w.keepFile(p, rel, d.git) {
				emit(change{rel: rel, created: true})
			}
		}
		for _, s := range subdirs {
			p, rel := cur.path+string(filepath.Separator)+s.name, joinRel(cur.rel, s.name)
			if !w.keepDir(p, rel, d.git) {
				if w.log.Verbose() {
					w.log.Debugf("not watching %s/ (ignored)", rel)
				}
				continue
			}
			sd := d
			sd.rel, sd.ino = rel, s.ino
			if err := w.watchDir(p, sd); err != nil {
				w.watchFailed(p, err)
				continue
			}
			stack = append(stack, todo{p, rel})
		}
	}
	return nil
}

// gone reports whether err says a directory is no longer there as one: it
// was removed, or replaced by a file or a symlink, since it was listed.
func gone(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || errors.Is(err, syscall.ELOOP)
}

// watchDir adds a watch on p unless it has one, and marks it seen by the
// current scan. A directory only ever turns into a tree directory: a parent
// watched for a root's sake can turn out to be inside another root. A
// directory keeps the backend it was first watched by.
func (w *Watcher) watchDir(p string, d dir) error {
	d.gen = w.gen
	if old, ok := w.dirs[p]; ok {
		if old.tree && !d.tree {
			d = old
			d.gen = w.gen
		}
		d.polled, d.ino = old.polled, old.ino // the watch stays what it was
		w.dirs[p] = d
		return nil
	}
	if q, ok := w.inodes[d.ino]; ok && d.ino != 0 && q != p && w.movedAway(q, d.ino) {
		// p is a folder moved from q, found by a walk before the move's
		// event: inotify would hand back q's watch for p (watches belong
		// to inodes) and forgetting q later would silently end it. Forget
		// q first; the move's event still names q when it comes.
		w.forget(q, true)
	}
	polled, err := w.add(p, d.poll)
	if err != nil {
		return err
	}
	d.polled = polled
	w.dirs[p] = d
	w.count.Add(1)
	if d.ino != 0 {
		w.inodes[d.ino] = p
	}
	return nil
}

// movedAway reports whether the folder watched at q with inode ino is no
// longer there (rather than seen at two paths, as through a bind mount).
func (w *Watcher) movedAway(q string, ino uint64) bool {
	fi, err := os.Lstat(q)
	return err != nil || inode(fi) != ino
}

// watchFailed warns about a directory inside a root that cannot be watched.
func (w *Watcher) watchFailed(p string, err error) {
	if gone(err) {
		return // gone again before it could be watched: a build's temp folder
	}
	w.missed(p, "watch", err)
}

// missed warns, once, that a folder cannot be watched or read (what). One
// that reload may not read is watched once it can be: a change of its mode,
// owner or ACL is an event in its parent, upon which it is tried again
// (handle), and the poller keeps looking at one it polls.
func (w *Watcher) missed(p, what string, err error) {
	if errors.Is(err, fs.ErrPermission) {
		w.warnOnce(p, "cannot %s %s: %v; it is watched once it can be read", what, p, bareErr(err))
		return
	}
	w.warnOnce(p, "cannot %s %s, so changes inside it are missed: %v", what, p, bareErr(err))
}

// forget drops a directory that was removed or renamed away, and with
// subtree set every directory below it: a renamed directory takes its
// subdirectories' watches with it (inotify follows the inode), and polled
// ones may never report themselves. A directory removed through inotify was
// emptied first, and each subdirectory's removal already reported itself.
func (w *Watcher) forget(p string, subtree bool) {
	w.unwatch(p)
	if !subtree {
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
	d := w.dirs[p]
	delete(w.dirs, p)
	w.count.Add(-1)
	if w.inodes[d.ino] == p {
		delete(w.inodes, d.ino)
	}
	if d.polled {
		_ = w.poll.Remove(p)
		return
	}
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
