package watcher

import (
	"os"
	"path/filepath"

	"github.com/fsnotify/fsnotify"
)

// mountChange is a mount point whose mounts came, went or were replaced.
type mountChange struct {
	path    string // absolute, as the mount table gives it
	mounted bool   // something is mounted there now; false: the last mount there went
}

// remount follows mounts and unmounts that change what a watched path
// shows: at or above a root, or at a folder inside one. inotify ends the
// watches on an unmounted file system without a word (fsnotify drops
// IN_UNMOUNT and IN_IGNORED), and a file system mounted over a watched
// folder hides it; each such folder is handled as one deleted and created
// again, by the code that handles a root that is.
func (w *Watcher) remount(changes []mountChange, emit func(change)) {
	for _, m := range changes {
		for real := range w.roots {
			w.remountRoot(real, m, emit)
		}
		if d, ok := w.dirs[m.path]; ok && d.tree {
			if _, isRoot := w.roots[m.path]; !isRoot {
				w.replace(m.path, emit)
			}
		}
	}
}

// remountRoot handles a mount change at m for the root at real.
func (w *Watcher) remountRoot(real string, m mountChange, emit func(change)) {
	r := w.roots[real]
	parent := filepath.Dir(real)
	if parent != real && within(parent, m.path) {
		// The watch that notices the root deleted (a file root's only one)
		// was on the old file system: put it on what is there now.
		if d, ok := w.dirs[parent]; ok && !d.tree {
			w.unwatch(parent)
		}
		if err := w.watchDir(parent, dir{rel: w.relTo(parent), poll: r.poll}); err != nil {
			w.log.Debugf("not watching %s after a mount change there: %v", parent, err)
		}
	} else if !within(real, m.path) {
		return
	}
	w.replace(real, emit)
	r = w.roots[real] // replace turns a file root that is now a folder into a folder root
	switch {
	case !m.mounted:
		r.away = true
		w.log.Warnf("%s was unmounted; watching for it to come back", real)
	case r.away && exists(real): // else it may still appear, as any root may
		r.away = false
		w.log.Infof("%s is mounted again; watching it", real)
	}
	w.roots[real] = r
}

// replace handles a folder that now shows another file system, or nothing:
// as one deleted and then, if a folder is there, as one created, whose
// files are reported as created.
func (w *Watcher) replace(p string, emit func(change)) {
	w.handle(fsnotify.Event{Name: p, Op: fsnotify.Rename}, emit)
	if isFolder(p) {
		w.handle(fsnotify.Event{Name: p, Op: fsnotify.Create}, emit)
	}
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}
