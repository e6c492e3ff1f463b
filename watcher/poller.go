package watcher

import (
	"errors"
	"io/fs"
	"time"

	"github.com/fsnotify/fsnotify"
)

// poller is the stat-polling backend, for file systems that send no events
// (network and virtual ones) and for directories past the inotify watch
// limit. Every interval it lists each watched directory and stats the
// entries (never reading a file), and reports what differs from the last
// look as the events inotify would have sent for the directory's entries:
// Create for a new name, Write for a file whose size, modification time or
// identity moved (a touch, an edit, a save by rename), Remove for a file gone
// and Rename for a directory gone, so the watcher forgets its whole tree as
// after an inotify rename. A chmod alone moves none of these.
//
// One goroutine owns the snapshots and scans; Add and Remove reach it over a
// channel. It queues what it finds and keeps taking requests while the
// watcher has not taken the queue, so neither side can block the other.
// The next scan starts an interval after the last one ends, so scans never
// pile up however slow the file system is.
type poller struct {
	every  time.Duration
	events chan fsnotify.Event
	errors chan error
	reqs   chan pollReq
	stop   chan struct{}
	done   chan struct{}
	rd     dirReader // Add's, on the caller's goroutine
}

// pollReq asks the poller's goroutine to start (snap set) or stop polling dir.
type pollReq struct {
	dir  string
	snap *snapshot
}

var errPollerClosed = errors.New("polling stopped")

// newPoller starts a poller that looks at its directories every interval.
func newPoller(every time.Duration) *poller {
	p := &poller{
		every:  every,
		events: make(chan fsnotify.Event),
		errors: make(chan error),
		reqs:   make(chan pollReq, 64),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	go p.run()
	return p
}

// Add starts polling dir. It looks at dir at once, on the caller's
// goroutine, so a change made after Add returns is found by the next scan,
// and a dir that is gone is an error here rather than later. One that may
// not be read is polled all the same: what is inside is reported, as
// created, once it can be read (the walk that adds it says it cannot).
func (p *poller) Add(dir string) error {
	snap := &snapshot{}
	if err := snap.take(&p.rd, dir); errors.Is(err, fs.ErrPermission) {
		snap = &snapshot{failing: true}
	} else if err != nil {
		return err
	}
	select {
	case p.reqs <- pollReq{dir: dir, snap: snap}:
		return nil
	case <-p.done:
		return errPollerClosed
	}
}

// Remove stops polling dir (not its subdirectories). Unknown dirs are fine:
// the poller drops a directory itself once it is gone.
func (p *poller) Remove(dir string) error {
	select {
	case p.reqs <- pollReq{dir: dir}:
		return nil
	case <-p.done:
		return nil
	}
}

func (p *poller) Events() <-chan fsnotify.Event { return p.events }
func (p *poller) Errors() <-chan error          { return p.errors }

// Close stops the poller and waits for its goroutine. Call it once.
func (p *poller) Close() error {
	close(p.stop)
	<-p.done
	return nil
}

// run is the poller's goroutine: requests, scans, and handing out the queue.
func (p *poller) run() {
	defer close(p.done)
	s := newScanner()
	timer := time.NewTimer(p.every)
	defer timer.Stop()
	for {
		var (
			events chan<- fsnotify.Event // nil unless an event waits
			errs   chan<- error
			ev     fsnotify.Event
			err    error
		)
		if it, ok := s.peek(); ok && it.err != nil {
			errs, err = p.errors, it.err
		} else if ok {
			events, ev = p.events, it.ev
		}
		select {
		case <-p.stop:
			return
		case r := <-p.reqs:
			s.apply(r)
		case events <- ev:
			s.pop()
		case errs <- err:
			s.pop()
		case <-timer.C:
			if !s.scan(p.reqs, p.stop) {
				return
			}
			timer.Reset(p.every)
		}
	}
}
