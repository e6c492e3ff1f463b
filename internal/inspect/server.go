// Package inspect keeps a node debugger attached across restarts. reload
// serves the address the user asked for with --inspect (127.0.0.1:9229 by
// default) and points node's own inspector at a private loopback port.
// /json/list names one target with a stable id; a WebSocket to it is
// spliced, byte for byte, to the node process that runs now, and closed
// when that process stops, so the client reconnects to the same URL and
// lands on the next one. A connect while no app runs waits for it.
//
// The server only listens to the app's life: main tells it when the app
// started and stopped (AppStarted, AppStopped); it never drives the runner.
package inspect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/reload-dev/reload/internal/status"
)

// DefaultWait is how long a connect waits for the app to (re)start, as
// the proxy holds a request by default.
const DefaultWait = 10 * time.Second

// Looking for node's inspector after a start: every few milliseconds for
// the first seconds, since node opens it before running any code (a look
// at a port nothing listens on yet is one refused connect on loopback),
// then slower, and for lookLimit at most.
const (
	everyLook = 5 * time.Millisecond
	fastLooks = 3 * time.Second
	maxLook   = 100 * time.Millisecond
	lookLimit = 30 * time.Second
)

// Options configure a Server.
type Options struct {
	Listen  string        // host:port to serve: the address --inspect asked for
	Private string        // host:port node's inspector listens on (Rewrite's private)
	ID      string        // the target id to list (StableID)
	Wait    time.Duration // how long a connect waits for the app (0: DefaultWait)
	Log     *status.Printer
}

// Server is the stable debugger endpoint. Create it with New, serve with
// Run, and feed it the app's life with AppStarted and AppStopped, which
// return at once.
type Server struct {
	opts   Options
	ln     net.Listener
	client *http.Client // to node's /json endpoints

	events  chan appEvent // the app's life, from the runner's observer
	queries chan query    // from the handlers
	found   chan found    // from the look at node's inspector after a start
	done    chan struct{} // closed when the loop has ended

	// The spliced connections outlive their handlers as far as
	// http.Server knows (they are hijacked): Run waits for them itself.
	// The mutex only orders Add after Run's Wait began.
	mu      sync.Mutex
	closed  bool
	tunnels sync.WaitGroup

	lookLimit time.Duration // lookLimit; tests shorten it
}

// New starts listening on opts.Listen, so a port that is taken is an
// error before the app starts. Call Run to serve.
func New(opts Options) (*Server, error) {
	if opts.Log == nil {
		opts.Log = status.Discard()
	}
	if opts.Wait <= 0 {
		opts.Wait = DefaultWait
	}
	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return nil, fmt.Errorf("cannot serve the debugger on %s: %w", opts.Listen, errors.Unwrap(err))
	}
	return &Server{
		opts:      opts,
		ln:        ln,
		client:    &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}, // no proxy from the environment: node is on loopback
		events:    make(chan appEvent),
		queries:   make(chan query),
		found:     make(chan found),
		done:      make(chan struct{}),
		lookLimit: lookLimit,
	}, nil
}

// Addr is where the server listens (with the real port when Listen said 0).
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// URL is the stable debugger URL, the target's webSocketDebuggerUrl.
func (s *Server) URL() string {
	host, port, _ := net.SplitHostPort(s.ln.Addr().String())
	if h, _, err := net.SplitHostPort(s.opts.Listen); err == nil && h != "" && !unspecified(h) {
		host = h // as the user wrote it: localhost stays localhost
	} else if unspecified(host) {
		host = DefaultHost
	}
	return "ws://" + net.JoinHostPort(host, port) + "/" + s.opts.ID
}

func unspecified(host string) bool { return host == "0.0.0.0" || host == "::" }

// Run serves until ctx is done, then closes every spliced connection and
// waits for its goroutines.
func (s *Server) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       time.Minute,
		ErrorLog:          log.New(io.Discard, "", 0),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	s.opts.Log.Infof("debugger: %s — the same across restarts (node's own listens on %s)", s.URL(), s.opts.Private)
	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		s.loop(ctx)
	}()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(s.ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	cancel() // ends the loop, which closes every tunnel, and every wait
	shut, stop := context.WithTimeout(context.Background(), 2*time.Second)
	defer stop()
	if serr := srv.Shutdown(shut); serr != nil {
		srv.Close()
	}
	if err == nil {
		err = <-served
	}
	<-loopDone
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.tunnels.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// AppStarted: a new app process started at at; its inspector opens soon.
func (s *Server) AppStarted(at time.Time) { s.tell(appEvent{started: true, at: at}) }

// AppStopped: the app is stopping, or has ended on its own. Its debugger
// connections close now, so clients reconnect and wait for the next one.
func (s *Server) AppStopped() { s.tell(appEvent{}) }

// tell hands e to the loop, which never blocks for long (it does no I/O);
// once the loop has ended, e is dropped.
func (s *Server) tell(e appEvent) {
	select {
	case s.events <- e:
	case <-s.done:
	}
}

// ServeHTTP answers what node's inspector answers: /json/list (/json),
// /json/version, and the WebSocket on the target's path.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !allowedHost(r.Host) {
		http.Error(w, "Host header is not an IP address or localhost: refused, as node's inspector does", http.StatusBadRequest)
		return
	}
	switch r.URL.Path {
	case "/json", "/json/", "/json/list", "/json/list/":
		s.list(w, r)
	case "/json/version", "/json/version/":
		s.version(w, r)
	case "/" + s.opts.ID:
		if !isUpgrade(r) {
			http.Error(w, "WebSockets request was expected", http.StatusBadRequest)
			return
		}
		s.connect(w, r)
	default:
		http.Error(w, "not found: ask /json/list for the debugger's URL", http.StatusNotFound)
	}
}

func isUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") &&
		strings.Contains(strings.ToLower(r.Header.Get("Connection")), "upgrade")
}

// list answers the one stable target, whether or not an app runs now: a
// client that reconnects finds it, and its connect waits for the app.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	a, err := s.ask(r.Context(), false)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	addr := r.Host
	if addr == "" {
		addr = s.ln.Addr().String()
	}
	writeJSON(w, []target{stable(a.node, s.opts.ID, addr)})
}

// version passes on what the latest node said of itself.
func (s *Server) version(w http.ResponseWriter, r *http.Request) {
	a, err := s.ask(r.Context(), false)
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	if a.version == nil {
		writeJSON(w, map[string]string{"Browser": "node.js", "Protocol-Version": "1.1"})
		return
	}
	writeJSON(w, a.version)
}

func writeJSON(w http.ResponseWriter, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // node writes the "&" of its devtools URLs as it is
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_, _ = w.Write(b.Bytes())
}
