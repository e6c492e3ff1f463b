package testwait

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestLine(t *testing.T) {
	ch := make(chan string, 3)
	ch <- "starting"
	ch <- "ready pid=1"
	if got := Line(t, ch, "ready"); got != "ready pid=1" {
		t.Fatalf("Line = %q", got)
	}
}

func TestUntil(t *testing.T) {
	var done atomic.Bool
	time.AfterFunc(20*time.Millisecond, func() { done.Store(true) })
	Until(t, "the flag", done.Load)
	if !done.Load() {
		t.Fatal("Until returned before the condition held")
	}
}
