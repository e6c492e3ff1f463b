package watcher

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fsnotify/fsnotify"
)

// snapshot is one polled directory as last seen: its entries in listing
// order, each with its fingerprint (see entry.sum).
type snapshot struct {
	names   []string
	sums    []uint64
	failing bool // the last look failed; said once, not every scan
}

// take fills s with dir's entries as they are now.
func (s *snapshot) take(rd *dirReader, dir string) error {
	return rd.list(dir, true, func(name []byte, e entry) {
		s.names = append(s.names, string(name))
		s.sums = append(s.sums, e.sum)
	})
}

// forget drops one entry, so the next look reports it as created.
func (s *snapshot) forget(name string) {
	if i := slices.Index(s.names, name); i >= 0 {
		s.names = slices.Delete(s.names, i, i+1)
		s.sums = slices.Delete(s.sums, i, i+1)
	}
}

// item is one queued report: an event or, when err is set, an error.
type item struct {
	ev  fsnotify.Event
	err error
}

// scanner is the state the poller's goroutine owns: the snapshots, the
// directories in sorted order (so a parent is looked at before its
// subdirectories and reports their removal first), and the queue.
type scanner struct {
	dirs  map[string]*snapshot
	order []string // sorted keys of dirs
	pass  []string // the order a scan walks, copied: requests change order meanwhile
	queue []item
	head  int
	rd    dirReader
	// scratch for one look, reused: a directory that did not change
	// allocates nothing.
	names []string
	sums  []uint64
}

func newScanner() *scanner { return &scanner{dirs: map[string]*snapshot{}} }

func (s *scanner) peek() (item, bool) {
	if s.head == len(s.queue) {
		return item{}, false
	}
	return s.queue[s.head], true
}

func (s *scanner) pop() {
	s.queue[s.head] = item{}
	if s.head++; s.head == len(s.queue) {
		s.queue, s.head = s.queue[:0], 0
		if cap(s.queue) > 1024 {
			s.queue = nil // a burst's queue is not kept while idle
		}
	}
}

func (s *scanner) send(name string, op fsnotify.Op) {
	s.queue = append(s.queue, item{ev: fsnotify.Event{Name: name, Op: op}})
}

// apply starts or stops polling one directory.
func (s *scanner) apply(r pollReq) {
	i, found := slices.BinarySearch(s.order, r.dir)
	switch {
	case r.snap != nil:
		s.dirs[r.dir] = r.snap
		if !found {
			s.order = slices.Insert(s.order, i, r.dir)
		}
	case found:
		delete(s.dirs, r.dir)
		s.order = slices.Delete(s.order, i, i+1)
	}
}

// drop forgets dir and every directory below it: they are gone. The ones
// below sort together, right after "dir/" (not always right after dir:
// "dir-2" sorts between them).
func (s *scanner) drop(dir string) {
	if i, found := slices.BinarySearch(s.order, dir); found {
		delete(s.dirs, dir)
		s.order = slices.Delete(s.order, i, i+1)
	}
	prefix := dir + string(filepath.Separator)
	i, _ := slices.BinarySearch(s.order, prefix)
	j := i
	for j < len(s.order) && strings.HasPrefix(s.order[j], prefix) {
		delete(s.dirs, s.order[j])
		j++
	}
	s.order = slices.Delete(s.order, i, j)
}

// scan looks at every directory once. Between directories it takes pending
// requests, so Add never waits for a whole scan, and it stops early (false)
// when stop is closed.
func (s *scanner) scan(reqs <-chan pollReq, stop <-chan struct{}) bool {
	s.pass = append(s.pass[:0], s.order...)
	for _, dir := range s.pass {
		for more := true; more; {
			select {
			case <-stop:
				return false
			case r := <-reqs:
				s.apply(r)
			default:
				more = false
			}
		}
		if snap, ok := s.dirs[dir]; ok {
			s.look(dir, snap)
		}
	}
	clear(s.pass) // keep no strings alive between scans
	return true
}

// look compares dir with its snapshot, queues the differences and updates
// the snapshot.
func (s *scanner) look(dir string, old *snapshot) {
	s.names, s.sums = s.names[:0], s.sums[:0]
	inOrder := true // the listing so far matches the snapshot entry by entry
	err := s.rd.list(dir, true, func(name []byte, e entry) {
		i := len(s.names)
		if inOrder && i < len(old.names) && old.names[i] == string(name) {
			s.names = append(s.names, old.names[i]) // reuse the string: no allocation
		} else {
			inOrder = false
			s.names = append(s.names, string(name))
		}
		s.sums = append(s.sums, e.sum)
	})
	if err != nil {
		if gone(err) {
			// Gone before its parent's look noticed (or with its parent
			// unpolled: a root, or past the watch limit under a watched
			// folder): say so as inotify would. The parent forgets the
			// entry too, so a folder created again, even with the same
			// inode number, shows up there as new and is walked again.
			s.drop(dir)
			s.send(dir, fsnotify.Rename)
			if parent, ok := s.dirs[filepath.Dir(dir)]; ok {
				parent.forget(filepath.Base(dir))
			}
			return
		}
		if !old.failing {
			old.failing = true
			s.queue = append(s.queue, item{err: fmt.Errorf("cannot read %s, so changes inside it are missed: %w", dir, bareErr(err))})
		}
		return
	}
	old.failing = false
	if inOrder && len(s.names) == len(old.names) {
		if slices.Equal(s.sums, old.sums) {
			return // the common case: nothing changed, nothing allocated
		}
		for i, name := range s.names {
			if s.sums[i] != old.sums[i] {
				s.changed(dir, name, old.sums[i], s.sums[i])
			}
		}
		copy(old.sums, s.sums)
		return
	}
	s.diff(dir, old)
	old.names = slices.Clone(s.names)
	old.sums = slices.Clone(s.sums)
}

// diff queues the differences between the snapshot and a listing whose
// entries moved, came or went: what went first, then what came or changed,
// in listing order, as inotify orders a rename's two halves.
func (s *scanner) diff(dir string, old *snapshot) {
	was := make(map[string]uint64, len(old.names))
	for i, name := range old.names {
		was[name] = old.sums[i]
	}
	now := make(map[string]bool, len(s.names))
	for _, name := range s.names {
		now[name] = true
	}
	for i, name := range old.names {
		if !now[name] {
			s.removed(join(dir, name), old.sums[i])
		}
	}
	for i, name := range s.names {
		sum, ok := was[name]
		switch {
		case !ok:
			s.send(join(dir, name), fsnotify.Create)
		case sum != s.sums[i]:
			s.changed(dir, name, sum, s.sums[i])
		}
	}
}

// changed queues the events for an entry whose fingerprint moved: a Write
// for a file, or the old entry removed and a new one created when it was
// replaced by another kind or by another directory.
func (s *scanner) changed(dir, name string, was, is uint64) {
	p := join(dir, name)
	if kind(was&3) == kindFile && kind(is&3) == kindFile || kind(was&3) == kindLink && kind(is&3) == kindLink {
		s.send(p, fsnotify.Write)
		return
	}
	s.removed(p, was)
	s.send(p, fsnotify.Create)
}

// removed queues the event for an entry gone: a Rename for a directory, so
// the watcher forgets everything below it (as after an inotify rename), and
// a Remove for anything else.
func (s *scanner) removed(p string, sum uint64) {
	if kind(sum&3) == kindDir {
		s.drop(p)
		s.send(p, fsnotify.Rename)
		return
	}
	s.send(p, fsnotify.Remove)
}

func join(dir, name string) string { return dir + string(filepath.Separator) + name }
