package proxy

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// runLimited runs a proxy in front of target with its limits changed by
// set, until the test ends, and returns it with its address.
func runLimited(t *testing.T, target string, set func(*limits)) (*Server, string) {
	t.Helper()
	s, err := New(Options{Listen: "127.0.0.1:0", Target: target, Wait: within, LiveReload: true})
	if err != nil {
		t.Fatal(err)
	}
	set(&s.limits)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return s, s.Addr().String()
}

// rawConn opens a connection to addr and sends it what.
func rawConn(t *testing.T, addr, what string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := io.WriteString(c, what); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(within))
	return c, bufio.NewReader(c)
}

// readUntil reads lines until one contains want.
func readUntil(t *testing.T, r *bufio.Reader, want string) {
	t.Helper()
	for {
		l, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("no %q before %v", want, err)
		}
		if strings.Contains(l, want) {
			return
		}
	}
}

// closedByServer reads r to its end: the server closed the connection.
func closedByServer(t *testing.T, r *bufio.Reader, what string) {
	t.Helper()
	if _, err := io.Copy(io.Discard, r); err != nil {
		t.Fatalf("%s: the proxy kept the connection open: %v", what, err)
	}
}

const eventsRequest = "GET /__reload/events?gen=x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

// TestLiveReloadStreamsAreCapped: of 300 pages listening for reloads, the
// 256 newest stay connected (and get the next reload); the 44 oldest are
// told "bye" and their connections closed.
func TestLiveReloadStreamsAreCapped(t *testing.T) {
	t.Parallel()
	s, base, _ := upProxy(t, http.NotFoundHandler())
	addr := strings.TrimPrefix(base, "http://")
	const clients, limit = 300, 256
	if s.limits.streams != limit {
		t.Fatalf("the cap is %d, not %d", s.limits.streams, limit)
	}
	readers := make([]*bufio.Reader, clients)
	for i := range readers {
		_, readers[i] = rawConn(t, addr, eventsRequest)
		readUntil(t, readers[i], "retry:") // in order: the proxy has it now
	}
	for i, r := range readers[:clients-limit] {
		readUntil(t, r, "event: bye")
		closedByServer(t, r, fmt.Sprintf("evicted stream %d", i))
	}
	if n := s.streams.len(); n != limit {
		t.Fatalf("%d streams open; want %d", n, limit)
	}
	s.AppStopping()
	s.AppStarted(nil)
	for _, r := range readers[clients-limit:] {
		readUntil(t, r, "event: reload")
	}
}

// TestSlowClientsTimeOut: a client that never finishes its header, one
// that keeps an idle connection, and one whose body stalls are all cut off.
func TestSlowClientsTimeOut(t *testing.T) {
	t.Parallel()
	app := freeAddr(t)
	serveApp(t, app, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, "ok\n")
	}))
	const short = 200 * time.Millisecond
	s, addr := runLimited(t, app, func(l *limits) { l.header, l.idle, l.body = short, short, short })
	s.AppStarted(nil)
	waitPhase(t, s, up)

	_, r := rawConn(t, addr, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
	closedByServer(t, r, "half a header")

	_, r = rawConn(t, addr, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	readUntil(t, r, "ok")
	closedByServer(t, r, "an idle kept-alive connection")

	_, r = rawConn(t, addr, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nhalf")
	closedByServer(t, r, "a stalled body")

	// A body that keeps coming may take longer than the timeout in all.
	c, r := rawConn(t, addr, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 6\r\n\r\n")
	for range 6 {
		time.Sleep(short / 2) // a slow client's pace: each byte within the timeout
		io.WriteString(c, "x")
	}
	readUntil(t, r, "ok")
}

// TestConnectionsWaitAtTheLimit: at the connection limit the proxy stops
// accepting; a new client is served once another connection closes.
func TestConnectionsWaitAtTheLimit(t *testing.T) {
	t.Parallel()
	s, addr := runLimited(t, freeAddr(t), func(l *limits) { l.conns = 2 })
	first, r1 := rawConn(t, addr, eventsRequest)
	readUntil(t, r1, "retry:")
	_, r2 := rawConn(t, addr, eventsRequest)
	readUntil(t, r2, "retry:")
	_, r3 := rawConn(t, addr, eventsRequest)
	got := make(chan struct{})
	go func() {
		defer close(got)
		r3.ReadString('\n')
	}()
	if s.streams.len() != 2 {
		t.Errorf("%d streams with 2 connections allowed", s.streams.len())
	}
	select {
	case <-got:
		t.Fatal("a third connection was served at the limit of 2")
	case <-time.After(100 * time.Millisecond): // the proof of a non-event: nothing to wait on
	}
	first.Close()
	<-got
}

func TestConnLimit(t *testing.T) {
	t.Parallel()
	for fds, want := range map[int]int{0: 0, 1024: 398, 20000: 9886, 100: 16} {
		if got := connLimit(fds); got != want {
			t.Errorf("connLimit(%d) = %d; want %d", fds, got, want)
		}
	}
}
