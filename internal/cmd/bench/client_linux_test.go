package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestClientSeesARestart serves 1, stops for 200 ms, serves 2, and checks
// that the client finds the first 2 after the gap, with about one failed
// request per 5 ms of the gap.
func TestClientSeesARestart(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	serve := func(l net.Listener, v int) *http.Server {
		s := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, "%d\n", v) })}
		go s.Serve(l)
		return s
	}
	s := serve(l, 1)
	ctx := context.Background()
	c := startClient(ctx, l.Addr().(*net.TCPAddr).Port, 5*time.Millisecond)
	defer c.stop()
	alive := func() error { return nil }
	if _, err := c.waitValue(ctx, 1, time.Time{}, 5*time.Second, alive); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	s.Close()
	time.Sleep(200 * time.Millisecond)
	if l, err = net.Listen("tcp", addr); err != nil {
		t.Fatal(err)
	}
	up := time.Now()
	defer serve(l, 2).Close()
	at, err := c.waitValue(ctx, 2, t0, 5*time.Second, alive)
	if err != nil {
		t.Fatal(err)
	}
	if at.Before(up) {
		t.Errorf("answer 2 at %v, before the server was back (%v)", at.Sub(t0), up.Sub(t0))
	}
	failed := 0
	for _, p := range c.stop() {
		if p.failed() && !p.Done.Before(t0) && !p.Sent.After(at) {
			failed++
		}
	}
	if failed < 10 || failed > 80 { // 40 expected; the race detector and a busy machine stretch it
		t.Errorf("%d failed requests over a 200 ms gap at one per 5 ms", failed)
	}
}

// TestClientWaitValueTimesOut checks the bound and the message.
func TestClientWaitValueTimesOut(t *testing.T) {
	t.Parallel()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	c := startClient(context.Background(), port, 5*time.Millisecond)
	defer c.stop()
	_, err = c.waitValue(context.Background(), 1, time.Time{}, 50*time.Millisecond, func() error { return nil })
	if err == nil {
		t.Fatal("no error with nothing listening")
	}
}
