package proxy

import (
	"slices"
	"sync"
)

// streams are the open live-reload event streams, oldest first, at most
// max of them: a new one closes the oldest beyond that (a tab left open
// longest is the one least likely to be looked at).
type streams struct {
	mu   sync.Mutex
	max  int
	open []*stream
}

// stream is one event stream; evicted closes when it must end.
type stream struct{ evicted chan struct{} }

// add registers a new stream and evicts the oldest beyond max.
func (ss *streams) add() *stream {
	st := &stream{evicted: make(chan struct{})}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.open = append(ss.open, st)
	if n := len(ss.open) - ss.max; n > 0 {
		for _, old := range ss.open[:n] {
			close(old.evicted)
		}
		ss.open = slices.Delete(ss.open, 0, n)
	}
	return st
}

// remove forgets st, which has ended (evicted or not).
func (ss *streams) remove(st *stream) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if i := slices.Index(ss.open, st); i >= 0 {
		ss.open = slices.Delete(ss.open, i, i+1)
	}
}

func (ss *streams) len() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return len(ss.open)
}
