package status

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// queueLen bounds the lines waiting for a slow stderr: past it, lines are
// dropped and counted, never waited for.
const queueLen = 256

// queue writes lines to w from its own goroutine, so a status line never
// blocks its caller: not the runner's loop, not the signal handler, even
// when stderr is a pipe nobody reads. When w fails (a closed pipe) it
// stops writing for good: status output is over, the work goes on.
type queue struct {
	w       io.Writer
	lines   chan []byte
	mu      sync.Mutex
	dropped int
	done    chan struct{}
	once    sync.Once
}

func newQueue(w io.Writer) *queue {
	q := &queue{w: w, lines: make(chan []byte, queueLen), done: make(chan struct{})}
	go q.run()
	return q
}

// Write queues b, or drops it when the queue is full.
func (q *queue) Write(b []byte) (int, error) {
	line := append([]byte(nil), b...)
	select {
	case q.lines <- line:
	default:
		q.mu.Lock()
		q.dropped++
		q.mu.Unlock()
	}
	return len(b), nil
}

func (q *queue) run() {
	defer close(q.done)
	broken := false
	for line := range q.lines {
		if broken {
			continue // keep taking lines so writers never wait
		}
		q.mu.Lock()
		n := q.dropped
		q.dropped = 0
		q.mu.Unlock()
		if n > 0 {
			line = append([]byte(fmt.Sprintf("[reload] (%d status lines dropped: stderr was not being read)\n", n)), line...)
		}
		if _, err := q.w.Write(line); err != nil {
			broken = true
		}
	}
	if n := q.dropped; n > 0 && !broken { // the queue is closed: no writer is left to race
		fmt.Fprintf(q.w, "[reload] (%d status lines dropped: stderr was not being read)\n", n)
	}
}

// close writes what is queued, waiting at most wait for a stderr that
// does not take it.
func (q *queue) close(wait time.Duration) {
	q.once.Do(func() { close(q.lines) })
	select {
	case <-q.done:
	case <-time.After(wait):
	}
}
