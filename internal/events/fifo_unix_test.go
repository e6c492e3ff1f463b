//go:build unix

package events

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func mkfifo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "events.fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestFIFOWithoutReader: opening a FIFO nobody reads never waits; events
// wait in the queue for the reader that comes later; a Close with no
// reader at all returns.
func TestFIFOWithoutReader(t *testing.T) {
	t.Parallel()
	path := mkfifo(t)
	began := time.Now()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Emit(Start{Pid: 1, Reason: "start"})
	s.Emit(Stop{Pid: 1, Reason: "shutdown"})
	if took := time.Since(began); took > time.Second {
		t.Fatalf("Open and Emit took %v with no reader", took)
	}
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	for _, want := range []string{"start", "stop"} {
		if !sc.Scan() {
			t.Fatalf("no %s line: %v", want, sc.Err())
		}
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil || m["event"] != want {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
	}
	s.Close()

	// Nobody ever reads this one.
	s, err = Open(mkfifo(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Emit(Stop{Pid: 1, Reason: "shutdown"})
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(3 * closeGrace):
		t.Fatal("Close hung on a FIFO with no reader")
	}
}

// TestSlowReaderDropsAndCounts: a reader that does not read never blocks
// Emit; what did not fit is counted in a dropped event, and every event is
// either written or counted.
func TestSlowReaderDropsAndCounts(t *testing.T) {
	t.Parallel()
	path := mkfifo(t)
	r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	const total = 20000 // far more than the pipe and the queue hold
	began := time.Now()
	for i := range total {
		s.Emit(Start{Pid: i, Reason: "change"})
	}
	if took := time.Since(began); took > 2*time.Second {
		t.Fatalf("%d Emits took %v with a stalled reader", total, took)
	}
	lines := make(chan map[string]any, 100)
	go func() {
		defer close(lines)
		if err := syscall.SetNonblock(int(r.Fd()), false); err != nil {
			return
		}
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) == nil {
				lines <- m
			}
		}
	}()
	written, dropped := 0, 0
	for m := range lines {
		switch m["event"] {
		case "start":
			written++
		case "dropped":
			dropped += int(m["count"].(float64))
		}
		if written+dropped == total {
			break
		}
	}
	s.Close()
	if dropped == 0 || written+dropped != total {
		t.Fatalf("written %d + dropped %d; want %d, some dropped", written, dropped, total)
	}
}
