package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStartLog checks that lines already in the log are skipped, that a
// line is read only once complete, that shim and app lines are told apart,
// and that a malformed line is an error.
func TestStartLog(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "starts.log")
	appendTo := func(s string) {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(s); err != nil {
			t.Fatal(err)
		}
	}
	appendTo("exec 1 1700000000000000000\n") // an earlier session's
	l, err := openStartLog(path, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	appendTo("exec 42 17000000010001")
	if n, err := l.poll(); n != 0 || err != nil {
		t.Fatalf("half a line: poll = %d, %v; want 0, nil", n, err)
	}
	appendTo("25000\napp 42 1700000001003.000 1700000001060.500\n")
	if n, err := l.poll(); n != 1 || err != nil {
		t.Fatalf("poll = %d, %v; want 1, nil", n, err)
	}
	s := l.starts[0]
	if s.PID != 42 || s.Exec.UnixNano() != 1700000001000125000 {
		t.Errorf("parsed %+v", s)
	}
	if boot := l.script[42].Sub(s.Exec); boot != 60375*time.Microsecond {
		t.Errorf("app line: exec → script = %v, want 60.375ms", boot)
	}
	appendTo("garbage 1 2\n")
	if _, err := l.poll(); err == nil {
		t.Error("a malformed line was accepted")
	}
}

// TestStartLogAppTimed checks that a tool running node past the shim has
// its starts read from the app's lines, timeOrigin shifted back, and that
// a stray shim line (the tool's own node) is not a start.
func TestStartLogAppTimed(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "starts.log")
	l, err := openStartLog(path, true, 2*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	text := "exec 7 1700000000000000000\napp 8 1700000001003.000 1700000001060.500\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if n, err := l.poll(); n != 1 || err != nil {
		t.Fatalf("poll = %d, %v; want 1, nil", n, err)
	}
	if s := l.starts[0]; s.PID != 8 || s.Exec.UnixNano() != 1700000001001000000 {
		t.Errorf("parsed %+v; want pid 8 at timeOrigin less 2ms", s)
	}
}
