package inspect

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/internal/testwait"
)

const within = 10 * time.Second

// fakeNode is node's inspector as reload sees it: /json/list and
// /json/version, and a WebSocket on its target's path only, which greets
// with its id and then echoes what it is sent.
type fakeNode struct {
	t    *testing.T
	ln   net.Listener
	mu   sync.Mutex
	id   string // "" answers nothing: the process has not opened its inspector
	hits int    // /json/list requests answered
}

func newFakeNode(t *testing.T) *fakeNode {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeNode{t: t, ln: ln}
	srv := &http.Server{Handler: f}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return f
}

func (f *fakeNode) addr() string { return f.ln.Addr().String() }

// become makes f another process: one with target id (or none yet, "").
func (f *fakeNode) become(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.id = id
}

func (f *fakeNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	id := f.id
	if r.URL.Path == "/json/list" && id != "" {
		f.hits++
	}
	f.mu.Unlock()
	switch {
	case id == "":
		http.Error(w, "not up", http.StatusServiceUnavailable)
	case r.Host != f.addr():
		http.Error(w, "wrong Host "+r.Host, http.StatusBadRequest)
	case r.URL.Path == "/json/list":
		fmt.Fprintf(w, `[{"description":"node.js instance","id":%q,"title":"node[%s]","type":"node","url":"file:///app.js","webSocketDebuggerUrl":"ws://%s/%s"}]`, id, id, f.addr(), id)
	case r.URL.Path == "/json/version":
		fmt.Fprint(w, `{"Browser":"node.js/v99","Protocol-Version":"1.1"}`)
	case r.URL.Path == "/"+id && isUpgrade(r):
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\nid=%s\n", accept(r.Header.Get("Sec-WebSocket-Key")), id)
		_, _ = io.Copy(conn, brw)
	default:
		http.Error(w, "WebSockets request was expected", http.StatusBadRequest)
	}
}

func accept(key string) string {
	h := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC11B85"))
	return base64.StdEncoding.EncodeToString(h[:])
}

// serve runs a Server in front of node until the test ends.
func serve(t *testing.T, node *fakeNode, wait time.Duration) (*Server, *testwait.Buffer) {
	t.Helper()
	out := &testwait.Buffer{}
	s, err := New(Options{Listen: "127.0.0.1:0", Private: node.addr(), ID: "stable-id", Wait: wait,
		Log: status.New(out, false, status.Verbose)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return s, out
}

// wsConn is a client's WebSocket through reload, after the handshake.
type wsConn struct {
	net.Conn
	r *bufio.Reader
}

// dialWS opens a WebSocket on path at addr, as a CDP client does, and
// returns it with node's greeting, or the HTTP status when refused.
func dialWS(t *testing.T, addr, path string) (*wsConn, string, int) {
	t.Helper()
	c, hello, code, err := tryWS(addr, path)
	if err != nil {
		t.Fatal(err)
	}
	return c, hello, code
}

// tryWS is dialWS for any goroutine.
func tryWS(addr, path string) (*wsConn, string, int, error) {
	conn, err := net.DialTimeout("tcp", addr, within)
	if err != nil {
		return nil, "", 0, err
	}
	_ = conn.SetDeadline(time.Now().Add(within))
	raw := make([]byte, 16)
	_, _ = rand.Read(raw)
	key := base64.StdEncoding.EncodeToString(raw)
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", path, addr, key)
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		conn.Close()
		return nil, "", 0, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		conn.Close()
		return nil, "", resp.StatusCode, nil
	}
	if got := resp.Header.Get("Sec-WebSocket-Accept"); got != accept(key) {
		conn.Close()
		return nil, "", 0, fmt.Errorf("Sec-WebSocket-Accept %q; want %q", got, accept(key))
	}
	hello, err := r.ReadString('\n')
	if err != nil {
		conn.Close()
		return nil, "", 0, err
	}
	return &wsConn{conn, r}, strings.TrimSpace(hello), resp.StatusCode, nil
}

// echo checks that bytes go through both ways.
func (c *wsConn) echo(t *testing.T, msg string) {
	t.Helper()
	if _, err := fmt.Fprintln(c, msg); err != nil {
		t.Fatal(err)
	}
	if got, err := c.r.ReadString('\n'); err != nil || got != msg+"\n" {
		t.Fatalf("echo %q, %v; want %q", got, err, msg)
	}
}

// closed checks that reload closed the connection.
func (c *wsConn) closed(t *testing.T) {
	t.Helper()
	if b, err := c.r.ReadByte(); err == nil {
		t.Fatalf("read %q from a connection that should be closed", b)
	}
}

func getList(t *testing.T, addr, host string) (int, []target) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/json/list", nil)
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list []target
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode, list
}

// TestServerSurvivesRestart: the URL from /json/list stays the same; a
// connection reaches the process that runs, closes when it stops, and a
// reconnect to the same URL waits for the next one and reaches it.
func TestServerSurvivesRestart(t *testing.T) {
	t.Parallel()
	node := newFakeNode(t)
	s, out := serve(t, node, within)
	addr := s.Addr().String()

	code, list := getList(t, addr, addr)
	if code != http.StatusOK || len(list) != 1 || list[0].WebSocketDebuggerURL != "ws://"+addr+"/stable-id" || list[0].ID != "stable-id" {
		t.Fatalf("/json/list before any app: %d %+v", code, list)
	}
	if url := s.URL(); url != "ws://"+addr+"/stable-id" {
		t.Fatalf("URL() = %s", url)
	}
	node.become("first")
	s.AppStarted(time.Now())
	c, hello, _ := dialWS(t, addr, "/stable-id")
	if hello != "id=first" {
		t.Fatalf("connected to %q; want the first process", hello)
	}
	c.echo(t, `{"id":1,"method":"Runtime.evaluate"}`)
	local := fmt.Sprintf("localhost:%d", s.Addr().(*net.TCPAddr).Port) // the URLs use the host the client asked
	if _, list := getList(t, addr, local); list[0].Title != "node[first]" || list[0].URL != "file:///app.js" ||
		list[0].WebSocketDebuggerURL != "ws://"+local+"/stable-id" || !strings.HasSuffix(list[0].DevtoolsFrontendURL, "&ws="+local+"/stable-id") {
		t.Fatalf("/json/list with an app: %+v", list)
	}

	s.AppStopped() // a restart: the runner stops the old process
	c.closed(t)
	node.become("") // the new process has not opened its inspector yet
	type result struct {
		c     *wsConn
		hello string
		code  int
		err   error
	}
	again := make(chan result, 1)
	go func() {
		c, hello, code, err := tryWS(addr, "/stable-id") // the same URL, while no app runs
		again <- result{c, hello, code, err}
	}()
	select {
	case r := <-again:
		t.Fatalf("connect while no app runs did not wait: %+v", r)
	case <-time.After(50 * time.Millisecond): // it must still be waiting; any wait would do
	}
	s.AppStarted(time.Now())
	node.become("second")
	r := <-again
	if r.err != nil || r.hello != "id=second" {
		t.Fatalf("reconnected to %q (%d, %v); want the second process", r.hello, r.code, r.err)
	}
	r.c.echo(t, "after the restart")
	if !strings.Contains(out.String(), "node's debugger answered") {
		t.Errorf("no timing line for -v:\n%s", out)
	}
	r.c.Close()
}

// TestServerWaitIsBounded: a connect while no app runs is answered 503
// after Wait; a crash (AppStopped without a stop) closes connections too.
func TestServerWaitIsBounded(t *testing.T) {
	t.Parallel()
	node := newFakeNode(t)
	s, _ := serve(t, node, 100*time.Millisecond)
	addr := s.Addr().String()
	if _, _, code := dialWS(t, addr, "/stable-id"); code != http.StatusServiceUnavailable {
		t.Fatalf("connect with no app: %d; want 503", code)
	}
	node.become("x")
	s.AppStarted(time.Now())
	c, hello, _ := dialWS(t, addr, "/stable-id")
	if hello != "id=x" {
		t.Fatalf("hello %q", hello)
	}
	s.AppStopped() // the app crashed
	c.closed(t)
	if _, _, code := dialWS(t, addr, "/stable-id"); code != http.StatusServiceUnavailable {
		t.Fatalf("connect after a crash: %d; want 503", code)
	}
}

// TestServerRefuses: a foreign Host (DNS rebinding), another path, and a
// plain GET on the WebSocket path are refused as node refuses them.
func TestServerRefuses(t *testing.T) {
	t.Parallel()
	node := newFakeNode(t)
	s, _ := serve(t, node, 100*time.Millisecond)
	addr := s.Addr().String()
	if code, _ := getList(t, addr, "evil.example:9229"); code != http.StatusBadRequest {
		t.Errorf("foreign Host: %d; want 400", code)
	}
	if _, _, code := dialWS(t, addr, "/"+"first"); code != http.StatusNotFound {
		t.Errorf("node's own id through reload: %d; want 404", code)
	}
	resp, err := http.Get("http://" + addr + "/stable-id")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("GET without upgrade: %d; want 400", resp.StatusCode)
	}
	resp, err = http.Get("http://" + addr + "/json/version")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"Protocol-Version": "1.1"`) {
		t.Errorf("/json/version with no app: %s", b)
	}
}

// TestServerShutdownClosesTunnels: Run returns with a debugger attached;
// the connection is closed, and nothing of the server is left running.
func TestServerShutdownClosesTunnels(t *testing.T) {
	t.Parallel()
	node := newFakeNode(t)
	node.become("x")
	s, err := New(Options{Listen: "127.0.0.1:0", Private: node.addr(), ID: "stable-id"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	s.AppStarted(time.Now())
	c, _, _ := dialWS(t, s.Addr().String(), "/stable-id")
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(within):
		t.Fatal("Run did not return with a debugger attached")
	}
	c.closed(t)
	s.AppStopped() // the runner's last event, after Run: it must not block
}

// TestServerNodeNeverAnswers: a process that never opens its inspector
// gets one warning after the look's limit, and connects keep waiting.
func TestServerNodeNeverAnswers(t *testing.T) {
	t.Parallel()
	node := newFakeNode(t) // answers 503: no inspector
	s, out := serve(t, node, 100*time.Millisecond)
	s.lookLimit = 50 * time.Millisecond // before AppStarted, which starts the look that reads it
	s.AppStarted(time.Now())
	deadline := time.Now().Add(within)
	for !strings.Contains(out.String(), "node's debugger did not answer on "+node.addr()) {
		if time.Now().After(deadline) {
			t.Fatalf("no warning:\n%s", out)
		}
		time.Sleep(5 * time.Millisecond) // polling a condition with a deadline
	}
}

// TestListenTaken: a port that is taken is an error from New.
func TestListenTaken(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = New(Options{Listen: ln.Addr().String(), Private: "127.0.0.1:1", ID: "x"})
	if err == nil || !strings.Contains(err.Error(), "cannot serve the debugger on "+ln.Addr().String()) {
		t.Fatalf("New on a taken port: %v", err)
	}
}
