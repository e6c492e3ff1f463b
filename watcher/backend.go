package watcher

import "github.com/fsnotify/fsnotify"

// backend is where file system events come from. The event loop only sees
// this, so a stat-polling backend (for network file systems, or past the
// inotify watch limit) can stand in for fsnotify by sending the same
// fsnotify.Event values for the directories it is given.
type backend interface {
	// Add starts watching one directory (not its subdirectories).
	Add(dir string) error
	// Remove stops watching one directory.
	Remove(dir string) error
	// Events delivers changes of the watched directories' entries.
	Events() <-chan fsnotify.Event
	// Errors delivers trouble; fsnotify.ErrEventOverflow means events were lost.
	Errors() <-chan error
	// Close stops the backend and releases its resources.
	Close() error
}

// notify is the fsnotify backend.
type notify struct {
	w    *fsnotify.Watcher
	errs chan error
	done chan struct{} // closed when forwardErrors has returned
}

func newNotify() (*notify, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	n := &notify{w: w, errs: make(chan error), done: make(chan struct{})}
	go n.forwardErrors()
	return n, nil
}

func (n *notify) Add(dir string) error          { return n.w.Add(dir) }
func (n *notify) Remove(dir string) error       { return n.w.Remove(dir) }
func (n *notify) Events() <-chan fsnotify.Event { return n.w.Events }
func (n *notify) Errors() <-chan error          { return n.errs }

// Close stops fsnotify and waits for forwardErrors.
func (n *notify) Close() error {
	err := n.w.Close()
	<-n.done
	return err
}

// forwardErrors takes fsnotify's errors the moment they come and queues
// them for Errors. fsnotify (v1.10, on a folder moved and then deleted) can
// send an error while holding the lock its Add and Remove take; the
// watcher's goroutine, which calls those, cannot also be the one to read
// the error, or the two wait for each other for ever.
func (n *notify) forwardErrors() {
	defer close(n.done)
	var queue []error
	for {
		var out chan<- error // nil while nothing waits
		var next error
		if len(queue) > 0 {
			out, next = n.errs, queue[0]
		}
		select {
		case err, ok := <-n.w.Errors:
			if !ok {
				return // closed by Close: nobody reads errs any more
			}
			queue = append(queue, err)
		case out <- next:
			queue = queue[1:]
		}
	}
}
