package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

// queueLen bounds the events waiting for a slow reader; past it they are
// dropped and counted, never waited for.
const queueLen = 1024

// closeGrace is how long Close waits for the queue to be written before it
// stops waiting for the reader.
const closeGrace = 2 * time.Second

// timeLayout is RFC 3339 with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// Options say where the events go besides the path.
type Options struct {
	Stdout *os.File             // what "-" means (nil: os.Stdout)
	Warn   func(string, ...any) // told once when the stream breaks (nil: nobody)
	Debug  func(string, ...any) // told what a person may want to know (nil: nobody)
	Now    func() time.Time     // the clock (nil: time.Now), for tests
}

// Sink writes events, one JSON line each, from its own goroutine, flushed
// as they come (each is one write). Emit never blocks: a reader that is
// slow, or a FIFO with no reader yet, fills a bounded queue, and what does
// not fit is counted and reported by a "dropped" event once writing
// resumes, after the events that were queued before them.
type Sink struct {
	o       Options
	path    string
	fifo    bool // a FIFO opened when its first reader comes (and again after each leaves)
	own     bool // Close closes the file (not stdout)
	queue   chan item
	dropped atomic.Int64
	file    atomic.Pointer[os.File] // nil while a FIFO waits for a reader
	closing atomic.Bool
	done    chan struct{} // closed when the writer has finished
}

type item struct {
	at time.Time
	e  Event
}

// Open starts writing events to path: "-" is stdout; a FIFO is opened
// without waiting for a reader (events wait in the queue until one comes);
// anything else is a file, created or appended to. A directory, or a file
// that cannot be opened, is an error naming the fix. Close the Sink when
// done.
func Open(path string, o Options) (*Sink, error) {
	if o.Stdout == nil {
		o.Stdout = os.Stdout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Sink{o: o, path: path, queue: make(chan item, queueLen), done: make(chan struct{})}
	fi, err := os.Stat(path)
	switch {
	case path == "-":
		s.file.Store(o.Stdout)
	case err == nil && fi.IsDir():
		return nil, fmt.Errorf("events: %s is a folder; give a file, a FIFO, or - for stdout", path)
	case err == nil && isFIFO(fi):
		s.fifo, s.own = true, true
		f, err := openFIFONow(path)
		if err != nil {
			return nil, fmt.Errorf("events: %w; check the path given to --events", err)
		}
		if f == nil {
			s.debug("events: %s has no reader yet; events wait for one", path)
		} else {
			s.file.Store(f)
		}
	default:
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			return nil, fmt.Errorf("events: %w; check the path given to --events", err)
		}
		s.own = true
		s.file.Store(f)
	}
	go s.run()
	return s, nil
}

// Emit queues e, stamped now. It never blocks; a full queue drops e and
// counts it. A nil Sink (no --events) ignores e. Do not call it after Close.
func (s *Sink) Emit(e Event) {
	if s == nil {
		return
	}
	select {
	case s.queue <- item{s.o.Now(), e}:
	default:
		s.dropped.Add(1)
	}
}

// Close writes what is queued and closes the file. A reader that does not
// read (or a FIFO that never had one) gets closeGrace, then is given up on.
func (s *Sink) Close() {
	if s == nil {
		return
	}
	s.closing.Store(true)
	close(s.queue)
	t := time.NewTimer(closeGrace)
	defer t.Stop()
	select {
	case <-s.done:
		return
	case <-t.C:
	}
	if f := s.file.Load(); f != nil {
		_ = f.SetWriteDeadline(time.Now()) // FIFOs and pipes; a regular file never stalls
	}
	if s.fifo {
		releaseOpen(s.path) // a writer waiting in open(2) for a reader gets one
	}
	t.Reset(closeGrace)
	select {
	case <-s.done:
	case <-t.C:
		// Only a write to stdout stalled by its reader can be left
		// here, and reload exits next.
	}
}

// run is the writer: the only goroutine that writes or opens the file.
func (s *Sink) run() {
	defer close(s.done)
	broken := false
	for it := range s.queue {
		if broken {
			continue
		}
		f, err := s.writable()
		if err != nil {
			broken = true
			s.warn("events: %s: %v; no more events are written", s.path, err)
			continue
		}
		line := encode(it.at, it.e)
		if len(s.queue) == 0 { // drops happen only while the queue is full: they come after it
			if n := s.dropped.Swap(0); n > 0 {
				line = append(line, encode(s.o.Now(), Dropped{Count: n})...)
			}
		}
		if _, err := f.Write(line); err != nil {
			if s.fifo && errors.Is(err, syscall.EPIPE) && !s.closing.Load() {
				// The reader left: the next event waits for the next one.
				f.Close()
				s.file.Store(nil)
				s.dropped.Add(1)
				continue
			}
			broken = true
			s.warn("events: %s: %v; no more events are written", s.path, err)
		}
	}
	if n := s.dropped.Swap(0); n > 0 && !broken {
		if f := s.file.Load(); f != nil {
			_, _ = f.Write(encode(s.o.Now(), Dropped{Count: n}))
		}
	}
	if f := s.file.Load(); f != nil && s.own {
		f.Close()
	}
}

// writable returns the open file, first opening a FIFO that had no reader:
// this waits in open(2) for one (Close releases the wait).
func (s *Sink) writable() (*os.File, error) {
	if f := s.file.Load(); f != nil {
		return f, nil
	}
	if s.closing.Load() {
		return nil, errors.New("no reader came")
	}
	f, err := os.OpenFile(s.path, os.O_WRONLY, 0)
	if err != nil {
		return nil, err
	}
	s.file.Store(f)
	return f, nil
}

func (s *Sink) warn(format string, args ...any) {
	if s.o.Warn != nil && !s.closing.Load() { // at the end, a reader that left is no news
		s.o.Warn(format, args...)
	}
}

func (s *Sink) debug(format string, args ...any) {
	if s.o.Debug != nil {
		s.o.Debug(format, args...)
	}
}

// encode is one line: {"time":…,"event":…, then e's own fields}.
func encode(at time.Time, e Event) []byte {
	body, err := json.Marshal(e)
	if err != nil || len(body) < 2 {
		body = []byte("{}") // the event types always marshal; this is belt and braces
	}
	b := make([]byte, 0, len(body)+64)
	b = append(b, `{"time":"`...)
	b = at.UTC().AppendFormat(b, timeLayout)
	b = append(b, `","event":"`...)
	b = append(b, e.Kind()...)
	b = append(b, '"')
	if len(body) > 2 {
		b = append(b, ',')
	}
	b = append(b, body[1:]...)
	return append(b, '\n')
}
