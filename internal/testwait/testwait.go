// Package testwait is how tests wait: on events, with a deadline, never a
// fixed sleep, and on output that other goroutines write (Buffer). The
// machines tests run on are small and noisy; a deadline only bounds a
// failure, so it is generous.
package testwait

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// Within is the deadline for anything a test waits on.
const Within = 20 * time.Second

// Line returns the first line on ch that contains want, failing the test
// if ch closes first or none comes within Within.
func Line(t testing.TB, ch <-chan string, want string) string {
	t.Helper()
	deadline := time.After(Within)
	for {
		select {
		case l, ok := <-ch:
			if !ok {
				t.Fatalf("output ended before %q", want)
			}
			if strings.Contains(l, want) {
				return l
			}
		case <-deadline:
			t.Fatalf("no %q within %v", want, Within)
		}
	}
}

// Until polls cond, with a short growing pause, until it holds; it fails
// the test, naming what, if it does not within Within. For conditions
// nothing announces (a process gone, a file written by another process).
func Until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(Within)
	for wait := time.Millisecond; !cond(); wait = min(2*wait, 20*time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, Within)
		}
		time.Sleep(wait) // polling a condition with a deadline
	}
}

// Buffer is an io.Writer that a test reads with String while other
// goroutines write to it (a status printer, a build's output).
type Buffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
