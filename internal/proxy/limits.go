package proxy

import (
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// limits bound what clients can make the proxy hold, as nginx does, so a
// page left open in many tabs, or a client that never finishes, cannot
// take the file descriptors the next start of the app needs.
type limits struct {
	header  time.Duration // to read a request's header (nginx client_header_timeout)
	body    time.Duration // between two reads of a request's body (client_body_timeout)
	idle    time.Duration // a kept-alive connection with no request (keepalive_timeout)
	streams int           // live-reload event streams; the oldest is closed first
	conns   int           // connections accepted at once; 0 is no limit
}

// Reserves kept out of the proxy's share of the open-file limit.
const (
	fdReserve = 128 // reload itself: its watcher, the app's start, the build, logs
	maxIdle   = 100 // idle connections to the app (newTransport's MaxIdleConns)
)

func defaultLimits() limits {
	return limits{
		header:  60 * time.Second,
		body:    60 * time.Second,
		idle:    75 * time.Second,
		streams: 256,
		conns:   connLimit(openFileLimit()),
	}
}

// connLimit is how many client connections the proxy may hold with fds
// open files allowed (0: no limit known): each may need a second one to
// the app, and reload keeps a reserve for itself. Go already raises the
// soft limit to the hard one at start (and gives the app the original
// back), so fds is as high as it can be.
func connLimit(fds int) int {
	if fds <= 0 {
		return 0
	}
	return max((fds-fdReserve-maxIdle)/2, 16)
}

// limitListener accepts at most cap(slots) connections at once. At the
// limit it stops accepting: new connections wait in the kernel's backlog,
// costing reload no descriptor, until one closes.
type limitListener struct {
	net.Listener
	slots   chan struct{}
	done    chan struct{}
	close   sync.Once
	atLimit func() // called, once, the first time the limit is reached
	warned  atomic.Bool
}

func newLimitListener(l net.Listener, n int, atLimit func()) net.Listener {
	if n <= 0 {
		return l
	}
	return &limitListener{Listener: l, slots: make(chan struct{}, n), done: make(chan struct{}), atLimit: atLimit}
}

func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	default:
		if !l.warned.Swap(true) {
			l.atLimit()
		}
		select {
		case l.slots <- struct{}{}:
		case <-l.done:
			return nil, net.ErrClosed
		}
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitConn{Conn: c, release: sync.OnceFunc(func() { <-l.slots })}, nil
}

func (l *limitListener) Close() error {
	l.close.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// limitConn gives its slot back when closed (by the server, or by whoever
// hijacked it for a WebSocket).
type limitConn struct {
	net.Conn
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}

// CloseWrite keeps the server's graceful close of a TCP connection.
func (c *limitConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// slowBody is a request body that must keep coming: each read gets the
// body timeout, so a large upload may take as long as it needs but a
// stalled one is cut off. http.Server's ReadTimeout would bound the whole
// request instead.
type slowBody struct {
	io.ReadCloser
	rc      *http.ResponseController
	timeout time.Duration
	over    atomic.Bool // the handler returned: the connection may serve another request
}

func (b *slowBody) Read(p []byte) (int, error) {
	if b.over.Load() {
		return b.ReadCloser.Read(p)
	}
	b.rc.SetReadDeadline(time.Now().Add(b.timeout))
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.over.Load() {
		// The body is complete: clear the deadline, or it would fire while
		// a long response streams and cancel the request. (After a timeout
		// it stays: the connection is done for.)
		b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}
