package inspect

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// connect splices a WebSocket on the stable path to the node process that
// answers now: it waits (Options.Wait at most) for one, dials its
// inspector, sends it the client's upgrade request with node's own path,
// and copies bytes both ways until either side closes or that process
// stops. Node's answer, 101 and all, goes to the client as it is.
func (s *Server) connect(w http.ResponseWriter, r *http.Request) {
	a, err := s.ask(r.Context(), true)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		http.Error(w, fmt.Sprintf("no app has run with its debugger open for %v (stopped, crashed, or waiting for a change); connect again once it starts", s.opts.Wait), http.StatusServiceUnavailable)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	dial, cancel := context.WithTimeout(a.app.ctx, 2*time.Second)
	node, err := (&net.Dialer{}).DialContext(dial, "tcp", s.opts.Private)
	cancel()
	if err != nil {
		http.Error(w, "node's debugger is gone (the app stopped); connect again: "+err.Error(), http.StatusBadGateway)
		return
	}
	if !s.track() {
		node.Close()
		http.Error(w, errClosed.Error(), http.StatusServiceUnavailable)
		return
	}
	defer s.tunnels.Done()
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		node.Close()
		return
	}
	_ = conn.SetDeadline(time.Time{}) // the server's header timeout must not cut a debugging session
	if err := forward(node, r, a.app.id, s.opts.Private); err != nil {
		node.Close()
		conn.Close()
		return
	}
	s.opts.Log.Debugf("inspect: a debugger connected from %s", r.RemoteAddr)
	splice(a.app.ctx, conn, brw.Reader, node)
}

// track counts a tunnel for Run to wait on; false once Run stopped waiting.
func (s *Server) track() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.tunnels.Add(1)
	return true
}

// forward writes r, the client's upgrade request, to node's inspector, on
// node's path (its target id) and with node's address as Host, which node
// checks as reload does.
func forward(node net.Conn, r *http.Request, id, addr string) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "GET /%s HTTP/1.1\r\nHost: %s\r\n", id, addr)
	if err := r.Header.Write(&b); err != nil {
		return err
	}
	b.WriteString("\r\n")
	_ = node.SetWriteDeadline(time.Now().Add(2 * time.Second))
	if _, err := node.Write(b.Bytes()); err != nil {
		return err
	}
	return node.SetWriteDeadline(time.Time{})
}

// splice copies client ↔ node until either side ends or ctx does (the
// process stopped), then closes both; fromClient is the client's
// connection with what the server read ahead. The close is a plain TCP
// close: the copy may be in the middle of a frame, so no WebSocket close
// frame can follow it; clients see the debugger disconnect and reconnect.
func splice(ctx context.Context, client net.Conn, fromClient io.Reader, node net.Conn) {
	closeBoth := func() {
		client.Close()
		node.Close()
	}
	stop := context.AfterFunc(ctx, closeBoth)
	defer stop()
	up := make(chan struct{})
	go func() {
		defer close(up)
		_, _ = io.Copy(node, fromClient)
		closeBoth()
	}()
	_, _ = io.Copy(client, node)
	closeBoth()
	<-up
}
