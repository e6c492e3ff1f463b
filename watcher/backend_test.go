package watcher

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestNotifyTakesErrorsWhileNobodyReads: fsnotify v1.10 sends some errors
// (a folder moved and then deleted) while holding the lock its Add and
// Remove take, so an error must be taken from it at once even while the
// watcher's goroutine is busy in Add or Remove and not reading Errors.
// Sending on fsnotify's own Errors channel stands in for fsnotify.
func TestNotifyTakesErrorsWhileNobodyReads(t *testing.T) {
	t.Parallel()
	n, err := newNotify()
	if err != nil {
		t.Fatal(err)
	}
	var sent []error
	for i := range 3 {
		e := fmt.Errorf("error %d", i)
		select {
		case n.w.Errors <- e:
			sent = append(sent, e)
		case <-time.After(patience):
			t.Fatalf("fsnotify's error %d was not taken while Errors went unread: fsnotify would hold its lock", i)
		}
	}
	for i, want := range sent {
		select {
		case got := <-n.Errors():
			if !errors.Is(got, want) {
				t.Errorf("error %d = %v, want %v", i, got, want)
			}
		case <-time.After(patience):
			t.Fatalf("queued error %d never came out of Errors", i)
		}
	}
	n.w.Errors <- errors.New("unread at Close")
	done := make(chan error, 1)
	go func() { done <- n.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(patience):
		t.Fatal("Close hung on an error nobody read")
	}
}
