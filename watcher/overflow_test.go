package watcher

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// lossy is the real fsnotify backend that can lose events on purpose: a
// real queue overflow needs more events than a test should make. While
// dropping, it swallows events until it has swallowed the marker's.
type lossy struct {
	*notify
	events   chan fsnotify.Event
	errs     chan error
	dropping chan string // a marker path: drop everything up to its event
	dropped  chan struct{}
	stop     chan struct{} // closed by Close, so the forwarder never blocks past Run
}

func newLossy(t *testing.T) *lossy {
	n, err := newNotify()
	if err != nil {
		t.Fatal(err)
	}
	l := &lossy{notify: n, events: make(chan fsnotify.Event), errs: make(chan error),
		dropping: make(chan string, 1), dropped: make(chan struct{}, 1), stop: make(chan struct{})}
	forwarded := make(chan struct{})
	go func() { // ends when Run closes fsnotify
		defer close(forwarded)
		marker := ""
		for ev := range n.w.Events {
			select {
			case marker = <-l.dropping:
			default:
			}
			if marker != "" {
				if ev.Name == marker {
					marker = ""
					l.dropped <- struct{}{}
				}
				continue
			}
			select {
			case l.events <- ev:
			case <-l.stop:
				return
			}
		}
	}()
	t.Cleanup(func() { <-forwarded })
	return l
}

func (l *lossy) Events() <-chan fsnotify.Event { return l.events }
func (l *lossy) Errors() <-chan error          { return l.errs }
func (l *lossy) Close() error {
	err := l.notify.Close()
	close(l.stop)
	return err
}

func TestOverflowRescans(t *testing.T) {
	t.Parallel()
	root := tempRoot(t)
	mkdirs(t, root, "src/lib")
	be := newLossy(t)
	w, err := newWatcher(Options{Root: root, Paths: []string{root}, Delay: 20 * time.Millisecond}, be)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	before := w.Dirs()

	// Lose every event of: two new folders, and a folder removed.
	marker := filepath.Join(root, "marker")
	be.dropping <- marker
	write(t, filepath.Join(root, "late", "x.js"), "x")
	write(t, filepath.Join(root, "late2", "x.js"), "x")
	if err := os.RemoveAll(filepath.Join(root, "src", "lib")); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(marker) // an empty file: one Create event, nothing after it
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	select {
	case <-be.dropped:
	case <-time.After(patience):
		t.Fatal("the marker's event never came")
	}

	be.errs <- fsnotify.ErrEventOverflow
	b := waitBatch(t, w, patience)
	if !b.Rescan || len(b.Paths) != 0 {
		t.Fatalf("batch after an overflow = %+v, want a rescan without paths", b)
	}
	if got := w.Dirs(); got != before+1 { // late and late2 watched, src/lib forgotten
		t.Errorf("Dirs() = %d after the rescan, want %d", got, before+1)
	}
	write(t, filepath.Join(root, "late", "y.js"), "x") // seen only if the rescan watched late/
	expectBatch(t, w, "late/y.js")
}
