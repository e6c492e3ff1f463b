package status

import (
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// blockedWriter blocks every Write until released, as a full pipe does.
type blockedWriter struct {
	release chan struct{}
	mu      sync.Mutex
	got     strings.Builder
}

func (b *blockedWriter) Write(p []byte) (int, error) {
	<-b.release
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.got.Write(p)
}

// TestBackgroundNeverBlocks: with stderr stuck, printing many lines returns
// at once; once stderr moves again, the queued lines come in order and what
// was dropped is counted.
func TestBackgroundNeverBlocks(t *testing.T) {
	w := &blockedWriter{release: make(chan struct{})}
	p := NewBackground(w, false, Info)
	done := make(chan struct{})
	go func() {
		for i := range 10 * queueLen {
			p.Infof("line %d", i)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("printing blocked on a stuck stderr")
	}
	close(w.release)
	p.Close()
	w.mu.Lock()
	out := w.got.String()
	w.mu.Unlock()
	if !strings.Contains(out, "[reload] line 0\n") || !strings.Contains(out, "[reload] line 2\n[reload] line 3\n") || !strings.Contains(out, "status lines dropped: stderr was not being read") {
		t.Fatalf("want the first lines in order and a dropped count; got %d bytes: %q", len(out), out[:300])
	}
}

type failingWriter struct{ calls int }

func (f *failingWriter) Write([]byte) (int, error) { f.calls++; return 0, errors.New("broken pipe") }

// TestBackgroundStopsOnAClosedStderr: after a write fails (EPIPE), no more
// writes are tried, and printing goes on without error.
func TestBackgroundStopsOnAClosedStderr(t *testing.T) {
	f := &failingWriter{}
	p := NewBackground(f, false, Info)
	for range 50 {
		p.Warnf("x")
	}
	p.Close()
	if f.calls != 1 {
		t.Fatalf("want one failed write and then none, got %d writes", f.calls)
	}
}

// TestCloseDoesNotWaitForever: Close gives up on a stderr that never moves.
func TestCloseDoesNotWaitForever(t *testing.T) {
	w := &blockedWriter{release: make(chan struct{})}
	defer close(w.release)
	p := NewBackground(w, false, Info)
	p.Infof("stuck")
	done := make(chan struct{})
	go func() { p.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited for a stuck stderr")
	}
	p.Infof("after close") // dropped, not a panic on a closed queue
	var _ io.Writer = p.w
}
