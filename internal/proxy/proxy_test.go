package proxy

import (
	"bufio"
	"compress/gzip"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/testwait"
)

// within bounds every wait in these tests; the machine is small and noisy.
const within = testwait.Within

// freeAddr returns a loopback address nothing listens on (yet).
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// serveApp runs h on addr, a stand-in app, until the test ends or stop is called.
func serveApp(t testing.TB, addr string, h http.Handler) (stop func()) {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(l) }()
	stop = func() {
		srv.Close()
		<-done
	}
	t.Cleanup(stop)
	return stop
}

// startProxy runs a proxy in front of target until the test ends, and
// returns it with its base URL.
func startProxy(t testing.TB, target string, wait time.Duration) (*Server, string) {
	t.Helper()
	s, err := New(Options{Listen: "127.0.0.1:0", Target: target, Wait: wait, LiveReload: true})
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
	return s, "http://" + s.Addr().String()
}

// upProxy is a proxy whose app is up: started and accepting connections.
func upProxy(t testing.TB, h http.Handler) (*Server, string, string) {
	t.Helper()
	app := freeAddr(t)
	serveApp(t, app, h)
	s, base := startProxy(t, app, within)
	s.AppStarted(nil)
	waitPhase(t, s, up)
	return s, base, app
}

// waitPhase waits, on the state's own change signal, for phase p.
func waitPhase(t testing.TB, s *Server, p phase) state {
	t.Helper()
	deadline := time.After(within)
	for {
		st := s.snapshot()
		if st.phase == p {
			return st
		}
		select {
		case <-st.changed:
		case <-deadline:
			t.Fatalf("phase %d not reached within %v", p, within)
		}
	}
}

var client = &http.Client{Timeout: within}

func get(t testing.TB, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestHeldRequestGoesThroughWhenAppListens(t *testing.T) {
	t.Parallel()
	app := freeAddr(t)
	s, base := startProxy(t, app, within)
	s.AppStarted([]string{"app.js"})
	sent := make(chan struct{})
	type result struct {
		code int
		body string
		err  error
	}
	res := make(chan result, 1)
	go func() {
		trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { close(sent) }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, base+"/x", nil)
		resp, err := client.Do(req)
		if err != nil {
			res <- result{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		res <- result{resp.StatusCode, string(b), err}
	}()
	<-sent
	select {
	case r := <-res:
		t.Fatalf("answered before the app listened: %+v", r)
	default:
	}
	serveApp(t, app, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "app "+r.URL.Path) }))
	r := <-res
	if r.err != nil || r.code != 200 || r.body != "app /x" {
		t.Fatalf("held request: %+v; want 200 from the app", r)
	}
}

func TestWaitRunsOut(t *testing.T) {
	t.Parallel()
	const wait = 300 * time.Millisecond
	s, base := startProxy(t, freeAddr(t), wait)
	s.AppStarted(nil) // and nothing ever listens
	began := time.Now()
	resp, body := get(t, base+"/")
	if took := time.Since(began); took < wait {
		t.Errorf("answered after %v, before the %v wait", took, wait)
	}
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(body, "not accepting connections") || !strings.Contains(body, "connection refused") {
		t.Errorf("got %d %q", resp.StatusCode, body)
	}
}

func TestCrashAndBuildPages(t *testing.T) {
	t.Parallel()
	s, base, _ := upProxy(t, http.NotFoundHandler())
	s.AppStopping()
	s.AppStarted([]string{"src/app.js", "lib/<x>.js"})
	s.AppExited("exit status 3", true)
	resp, body := get(t, base+"/any")
	for _, want := range []string{"The app crashed: exit status 3", "src/app.js", "lib/&lt;x&gt;.js", `src="/__reload/client.js" data-gen="`, "refreshes by itself",
		"see the terminal running reload for the app&#39;s output"} {
		if !strings.Contains(body, want) {
			t.Errorf("crash page lacks %q:\n%s", want, body)
		}
	}
	if resp.StatusCode != http.StatusBadGateway || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("crash page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	s.BuildStarted([]string{"main.go"})
	s.BuildFailed("exit status 2", "./main.go:3:1: undefined: <nope>", []string{"main.go"})
	resp, body = get(t, base+"/")
	for _, want := range []string{"The build failed: exit status 2", "undefined: &lt;nope&gt;", "<li><code>main.go</code></li>"} {
		if !strings.Contains(body, want) {
			t.Errorf("build page lacks %q:\n%s", want, body)
		}
	}
	if resp.StatusCode != http.StatusBadGateway {
		t.Errorf("build page: %d", resp.StatusCode)
	}
}

// TestInjection: HTML pages get the script once with a right
// Content-Length; other bodies and compressed ones pass untouched.
func TestInjection(t *testing.T) {
	t.Parallel()
	const page = "<html><body><h1>hi</h1></body></html>"
	_, base, _ := upProxy(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Accept-Encoding", r.Header.Get("Accept-Encoding"))
		switch r.URL.Path {
		case "/page":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(len(page)))
			w.Header().Set("ETag", `"v1"`)
			io.WriteString(w, page)
		case "/json":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"body":"</body>"}`)
		case "/gz":
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			io.WriteString(zw, page)
			zw.Close()
		}
	}))
	resp, body := get(t, base+"/page", "Accept", "text/html", "Accept-Encoding", "gzip")
	if !regexp.MustCompile(`^<html><body><h1>hi</h1><script src="/__reload/client.js" data-gen="[^"]+"></script></body></html>$`).MatchString(body) {
		t.Errorf("page = %q", body)
	}
	if resp.ContentLength != int64(len(body)) || resp.Header.Get("ETag") != "" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Content-Length %d for %d bytes, ETag %q, Cache-Control %q", resp.ContentLength, len(body), resp.Header.Get("ETag"), resp.Header.Get("Cache-Control"))
	}
	if ae := resp.Header.Get("X-Accept-Encoding"); ae != "" {
		t.Errorf("the app was asked for %q; a page load must ask for a plain body", ae)
	}
	if _, body := get(t, base+"/json", "Accept", "*/*"); body != `{"body":"</body>"}` {
		t.Errorf("json changed: %q", body)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/gz", nil)
	req.Header.Set("Accept-Encoding", "gzip") // set by hand: the client hands back the raw body
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); string(b) != page {
		t.Errorf("gzip page changed: %q", b)
	}
}

// readEvent reads the next server-sent event's name and data.
func readEvent(t *testing.T, r *bufio.Reader) (name, data string) {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("event stream ended: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, "event: "):
			name = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			data = line[len("data: "):]
		case line == "" && name != "":
			return name, data
		}
	}
}

func events(t *testing.T, base, gen string) *bufio.Reader {
	t.Helper()
	resp, err := client.Get(base + "/__reload/events?gen=" + gen)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, ct)
	}
	return bufio.NewReader(resp.Body)
}

func TestEventsReloadWhenTheViewMoves(t *testing.T) {
	t.Parallel()
	s, base, _ := upProxy(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<body>app</body>")
	}))
	_, body := get(t, base+"/", "Accept", "text/html")
	m := regexp.MustCompile(`data-gen="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no script in %q", body)
	}
	page := m[1]
	ev := events(t, base, page)

	// A restart: the first event is for the new instance, none for the page's own.
	s.AppStopping()
	s.AppStarted([]string{"a.js"})
	newGen := waitPhase(t, s, up).gen
	if name, data := readEvent(t, ev); name != "reload" || data != newGen || data == page {
		t.Fatalf("after a restart: %s %q; want reload %q (page had %q)", name, data, newGen, page)
	}
	// A crash moves the view too: the open page reloads into the error page.
	s.AppExited("exit status 1", true)
	if name, data := readEvent(t, ev); name != "reload" || data != newGen+"~1" {
		t.Fatalf("after a crash: %s %q", name, data)
	}
	// A page from before a restart it missed reloads as soon as it listens.
	if name, _ := readEvent(t, events(t, base, page)); name != "reload" {
		t.Fatalf("stale page got %q", name)
	}
	if resp, js := get(t, base+"/__reload/client.js"); resp.StatusCode != 200 || !strings.Contains(js, "EventSource") {
		t.Errorf("client.js: %d %q", resp.StatusCode, js)
	}
}
