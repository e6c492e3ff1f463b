// Package proxy is an HTTP reverse proxy that sits in front of the app while
// reload restarts it. Requests that arrive while the app is stopping,
// building or starting are held until it accepts connections again (up to a
// limit) and then forwarded, so a browser or test client never sees a
// refused connection. A crash or a failed build answers 502 with a page
// saying what happened. HTML pages get a small script that reloads them
// when the app is back.
//
// The proxy only listens to the app's life: main tells it what the runner
// and the build stage do (AppStarted, BuildFailed, …); it never drives them.
package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reload-dev/reload/internal/status"
)

// Options configure a Server.
type Options struct {
	Listen     string        // host:port to listen on (":8080" is every interface)
	Target     string        // the app's host:port
	Wait       time.Duration // how long a request is held for a restarting app; 0 does not hold
	LiveReload bool          // inject the reload script into HTML pages
	// AllowedHosts are the host names answered besides local ones when
	// Listen is on loopback (see hostGuard): exact, or ".domain" for it
	// and its subdomains. Lower case.
	AllowedHosts []string
	Log          *status.Printer // nil: print nothing
}

// Server is the proxy. Create it with New, serve with Run, and feed it the
// app's life with the App* and Build* methods, which never block.
type Server struct {
	opts  Options
	ln    net.Listener
	proxy *httputil.ReverseProxy
	conns *http.Transport // to the app
	boot  string          // tells this proxy's generations from an earlier run's

	limits  limits // set by New; tests shorten them before Run
	streams streams
	hosts   hostGuard
	refused atomic.Bool // a request for a foreign host was refused (and said so once)

	base   context.Context // ends when Run returns: probes and held requests stop
	cancel context.CancelFunc
	probes sync.WaitGroup

	mu      sync.Mutex // guards the fields below; held only for quick updates
	st      state
	seq     int                // bumped by every event; a probe only counts for its own
	stopP   context.CancelFunc // stops the running readiness probe, if any
	upAfter time.Duration      // how long the last start took to accept connections
	closed  bool               // Run has ended: no new probes
	hinted  bool               // the port hint was printed (see AppExited)
}

// New checks the addresses and starts listening, so a port that is taken is
// an error before the app starts. Call Run to serve.
func New(opts Options) (*Server, error) {
	if opts.Log == nil {
		opts.Log = status.Discard()
	}
	if _, _, err := net.SplitHostPort(opts.Target); err != nil {
		return nil, fmt.Errorf("proxy target %q: %w", opts.Target, err)
	}
	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return nil, fmt.Errorf("proxy cannot listen on %s: %w", opts.Listen, err)
	}
	base, cancel := context.WithCancel(context.Background())
	s := &Server{
		opts:   opts,
		ln:     ln,
		boot:   strconv.FormatInt(time.Now().UnixNano(), 36),
		base:   base,
		cancel: cancel,
		conns:  newTransport(),
		limits: defaultLimits(),
		hosts:  newHostGuard(opts.Listen, ln.Addr(), opts.AllowedHosts),
	}
	s.st = state{phase: holding, fresh: true, changed: make(chan struct{})}
	s.st.gen = s.token(0)
	target := &url.URL{Scheme: "http", Host: opts.Target}
	s.proxy = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host // the app builds links for the address the browser uses
			pr.SetXForwarded()
			if s.opts.LiveReload && wantsPage(pr.In) {
				// Ask for a body the script can go into: plain, and whole
				// (a 304 would keep a page that reloads for an old generation).
				for _, h := range []string{"Accept-Encoding", "If-None-Match", "If-Modified-Since"} {
					pr.Out.Header.Del(h)
				}
			}
		},
		Transport:      &holdTransport{s: s, base: s.conns},
		FlushInterval:  -1, // streamed responses (SSE, chunked) pass through as written
		ModifyResponse: s.modify,
		ErrorHandler:   s.fail,
		ErrorLog:       log.New(io.Discard, "", 0), // every error is answered by fail
	}
	return s, nil
}

// newTransport dials the app. Compression is left to the app and browser:
// the proxy must see plain HTML to inject into it.
func newTransport() *http.Transport {
	return &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        maxIdle,
		MaxIdleConnsPerHost: maxIdle,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
}

// Addr is where the proxy listens (with the real port when Listen said 0).
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Run serves until ctx is done, then closes the listener, answers what is
// still held, and waits for its goroutines.
func (s *Server) Run(ctx context.Context) error {
	s.streams.max = s.limits.streams
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.limits.header,
		IdleTimeout:       s.limits.idle,
		ErrorLog:          log.New(io.Discard, "", 0),
		BaseContext:       func(net.Listener) context.Context { return s.base },
	}
	ln := newLimitListener(s.ln, s.limits.conns, func() {
		s.opts.Log.Warnf("proxy: %d connections open, near the open-file limit (ulimit -n); new ones wait until some close", s.limits.conns)
	})
	live := "on"
	if !s.opts.LiveReload {
		live = "off"
	}
	s.opts.Log.Infof("proxy: http://%s → %s (live reload %s)", displayAddr(s.opts.Listen, s.ln.Addr()), s.opts.Target, live)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	s.mu.Lock()
	s.closed = true
	s.stopProbe()
	s.mu.Unlock()
	s.cancel() // held requests and event streams end, so Shutdown need not wait for them
	shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if serr := srv.Shutdown(shut); serr != nil {
		srv.Close()
	}
	if err == nil {
		err = <-served
	}
	s.probes.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// displayAddr is the address to print: the port the listener got, with the
// host the user gave (or localhost for every interface).
func displayAddr(listen string, got net.Addr) string {
	host, _, _ := net.SplitHostPort(listen)
	_, port, _ := net.SplitHostPort(got.String())
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// ownPrefix is the path the proxy keeps for itself (the reload script and
// its event stream); the app never sees requests under it.
const ownPrefix = "/__reload/"

// ServeHTTP serves the proxy's own paths and forwards everything else.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hosts.allows(r.Host) {
		s.refuseHost(w, r)
		return
	}
	if r.Body != nil && r.Body != http.NoBody {
		b := &slowBody{ReadCloser: r.Body, rc: http.NewResponseController(w), timeout: s.limits.body}
		defer b.over.Store(true)
		r.Body = b
	}
	if strings.HasPrefix(r.URL.Path, ownPrefix) {
		s.serveOwn(w, r)
		return
	}
	s.proxy.ServeHTTP(w, r)
}
