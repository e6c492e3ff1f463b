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
type notify struct{ w *fsnotify.Watcher }

func newNotify() (*notify, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	return &notify{w}, nil
}

func (n *notify) Add(dir string) error          { return n.w.Add(dir) }
func (n *notify) Remove(dir string) error       { return n.w.Remove(dir) }
func (n *notify) Events() <-chan fsnotify.Event { return n.w.Events }
func (n *notify) Errors() <-chan error          { return n.w.Errors }
func (n *notify) Close() error                  { return n.w.Close() }
