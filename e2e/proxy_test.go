//go:build unix

package e2e

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/websocket"
)

// proxyAppEnv makes the test binary run as the app behind the proxy (see
// init), so the app's behaviour sits next to the tests that use it.
const proxyAppEnv = "RELOAD_TEST_PROXY_APP"

func init() {
	if os.Getenv(proxyAppEnv) == "1" {
		os.Exit(proxyApp())
	}
}

// proxyApp is a small web app: it serves msg.txt as an HTML page, a ping, a
// stream that waits for /release between its two chunks, and a WebSocket
// echo. A file named "crash" makes it exit with status 3 as it starts.
// It dies at once on SIGTERM (Go's default), as careless apps do.
func proxyApp() int {
	if _, err := os.Stat("crash"); err == nil {
		fmt.Println("crashing on purpose")
		return 3
	}
	msg, _ := os.ReadFile("msg.txt")
	restarts := os.Getenv("RELOAD_RESTARTS")
	release := make(chan struct{})
	var once sync.Once
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><html><head><title>app</title></head><body><h1>%s</h1></body></html>", strings.TrimSpace(string(msg)))
	})
	mux.HandleFunc("/ping", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, "pong %s", restarts) })
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "first\n")
		http.NewResponseController(w).Flush()
		select {
		case <-release:
			io.WriteString(w, "second\n")
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/release", func(w http.ResponseWriter, r *http.Request) { once.Do(func() { close(release) }) })
	mux.Handle("/ws", websocket.Handler(func(ws *websocket.Conn) {
		var m string
		for websocket.Message.Receive(ws, &m) == nil {
			if websocket.Message.Send(ws, "echo: "+m) != nil {
				return
			}
		}
	}))
	l, err := net.Listen("tcp", "127.0.0.1:"+os.Getenv("PORT"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("ready pid=%d restarts=%s\n", os.Getpid(), restarts)
	http.Serve(l, mux)
	return 0
}

// proxied is reload running the test app behind --proxy.
type proxied struct {
	*proc
	dir   string
	proxy string // http://127.0.0.1:port of the proxy
	app   string // the app's own address
}

// startProxied runs reload with --proxy in front of the test app, in a new
// temp dir holding msg.txt, and waits for the app's first start.
func startProxied(t *testing.T, msg string, extra ...string) *proxied {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, dir, "msg.txt", msg)
	proxyPort, appPort := freePort(t), freePort(t)
	args := append([]string{"--delay", "10ms", "--proxy", fmt.Sprintf("%d:127.0.0.1:%d", proxyPort, appPort)}, extra...)
	args = append(args, "--", self)
	p := startReloadIn(t, launch{dir: dir, env: []string{proxyAppEnv + "=1", "PORT=" + strconv.Itoa(appPort)}}, args...)
	waitFor(t, p.errs, fmt.Sprintf("proxy: http://127.0.0.1:%d", proxyPort))
	p.ready()
	return &proxied{proc: p, dir: dir, proxy: fmt.Sprintf("http://127.0.0.1:%d", proxyPort), app: fmt.Sprintf("127.0.0.1:%d", appPort)}
}

// hammer sends GET url in a loop until stop closes, and counts answers that
// are 200 and those that are not (or fail).
type hammer struct {
	ok, failed atomic.Int64
	mu         sync.Mutex
	firstErrs  []string
	done       chan struct{}
}

func startHammer(url string, stop <-chan struct{}) *hammer {
	h := &hammer{done: make(chan struct{})}
	c := &http.Client{Timeout: within}
	go func() {
		defer close(h.done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			resp, err := c.Get(url)
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if err == nil && resp.StatusCode != 200 {
					err = fmt.Errorf("status %d", resp.StatusCode)
				}
			}
			if err == nil {
				h.ok.Add(1)
				continue
			}
			h.failed.Add(1)
			h.mu.Lock()
			if len(h.firstErrs) < 3 {
				h.firstErrs = append(h.firstErrs, err.Error())
			}
			h.mu.Unlock()
			time.Sleep(time.Millisecond) // pace a client facing a closed port; not a wait for an event
		}
	}()
	return h
}

// waitOK waits until the hammer has had n answers of 200.
func (h *hammer) waitOK(t *testing.T, n int64) {
	t.Helper()
	deadline := time.Now().Add(within)
	for h.ok.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("no %d good answers within %v (failed %d: %v)", n, within, h.failed.Load(), h.firstErrs)
		}
		time.Sleep(5 * time.Millisecond) // polling a counter with a deadline
	}
}

// TestProxyHoldsRequestsAcrossRestarts: a client sending requests without
// pause through the proxy while the app restarts 20 times gets only 200s;
// the same client straight at the app sees the restarts as failures.
func TestProxyHoldsRequestsAcrossRestarts(t *testing.T) {
	t.Parallel()
	p := startProxied(t, "hello")
	stop := make(chan struct{})
	viaProxy := startHammer(p.proxy+"/ping", stop)
	direct := startHammer("http://"+p.app+"/ping", stop)
	defer func() {
		close(stop)
		<-viaProxy.done
		<-direct.done
	}()
	viaProxy.waitOK(t, 1)
	direct.waitOK(t, 1)
	const restarts = 20
	for i := 1; i <= restarts; i++ {
		before := viaProxy.ok.Load()
		writeFile(t, p.dir, "touched.txt", strconv.Itoa(i))
		if got := p.ready()["restarts"]; got != strconv.Itoa(i) {
			t.Fatalf("restart %d: the app says restarts=%s", i, got)
		}
		viaProxy.waitOK(t, before+1) // the client went on through this restart
	}
	viaProxy.waitOK(t, viaProxy.ok.Load()+1)
	direct.waitOK(t, direct.ok.Load()+1)
	t.Logf("%d restarts: through the proxy %d ok, %d failed; straight at the app %d ok, %d failed (first: %v)",
		restarts, viaProxy.ok.Load(), viaProxy.failed.Load(), direct.ok.Load(), direct.failed.Load(), direct.firstErrs)
	if n := viaProxy.failed.Load(); n != 0 {
		t.Errorf("%d requests through the proxy failed: %v", n, viaProxy.firstErrs)
	}
	if direct.failed.Load() == 0 {
		t.Errorf("no request straight at the app failed during %d restarts: this test cannot tell a proxy that holds from one that does not", restarts)
	}
}

// TestProxyCrashPage: the app crashes as it starts; the proxy answers 502
// with a page naming the exit status and the file that changed, and the
// app's page again once the crash is fixed.
func TestProxyCrashPage(t *testing.T) {
	t.Parallel()
	p := startProxied(t, "hello")
	writeFile(t, p.dir, "crash", "")
	waitFor(t, p.errs, "app crashed")
	code, body := getPage(t, p.proxy+"/")
	if code != http.StatusBadGateway || !regexp.MustCompile(`The app crashed: exit (code|status) 3`).MatchString(body) ||
		!strings.Contains(body, "<code>crash</code>") || !strings.Contains(body, `src="/__reload/client.js"`) {
		t.Fatalf("after the crash: %d\n%s", code, body)
	}
	if err := os.Remove(p.dir + "/crash"); err != nil {
		t.Fatal(err)
	}
	p.ready()
	// The app may print its line a moment before reload tells the proxy it
	// started; until then the crash page stands. Nothing else may answer.
	deadline := time.Now().Add(within)
	for {
		code, body := getPage(t, p.proxy+"/")
		if code == 200 && strings.Contains(body, "<h1>hello</h1>") {
			break
		}
		if code != http.StatusBadGateway || !strings.Contains(body, "The app crashed") || time.Now().After(deadline) {
			t.Fatalf("after the fix: %d\n%s", code, body)
		}
		time.Sleep(5 * time.Millisecond) // polling with a deadline
	}
}

func getPage(t *testing.T, url string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept", "text/html")
	resp, err := (&http.Client{Timeout: within}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestProxyWebSocketAndStream: a WebSocket echo works through the proxy,
// and a streamed response arrives chunk by chunk: the first chunk is read
// before the app is allowed to write the second.
func TestProxyWebSocketAndStream(t *testing.T) {
	t.Parallel()
	p := startProxied(t, "hello")
	ws, err := websocket.Dial("ws"+strings.TrimPrefix(p.proxy, "http")+"/ws", "", p.proxy+"/")
	if err != nil {
		t.Fatalf("websocket through the proxy: %v", err)
	}
	defer ws.Close()
	ws.SetDeadline(time.Now().Add(within))
	for _, m := range []string{"hello", "again"} {
		if err := websocket.Message.Send(ws, m); err != nil {
			t.Fatal(err)
		}
		var got string
		if err := websocket.Message.Receive(ws, &got); err != nil || got != "echo: "+m {
			t.Fatalf("echo of %q: %q, %v", m, got, err)
		}
	}

	resp, err := (&http.Client{Timeout: within}).Get(p.proxy + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan string, 2)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	if l := waitLine(t, lines); l != "first" {
		t.Fatalf("first chunk: %q", l)
	}
	if r, err := http.Get("http://" + p.app + "/release"); err != nil { // straight at the app: nothing the proxy holds
		t.Fatal(err)
	} else {
		r.Body.Close()
	}
	if l := waitLine(t, lines); l != "second" {
		t.Fatalf("second chunk: %q", l)
	}
}

func waitLine(t *testing.T, lines <-chan string) string {
	t.Helper()
	select {
	case l, ok := <-lines:
		if !ok {
			t.Fatal("stream ended")
		}
		return l
	case <-time.After(within):
		t.Fatalf("no line within %v: the proxy buffers the stream", within)
		return ""
	}
}

// TestProxyUsageErrors: a bad --proxy, or a proxy port that is taken, is a
// one-line usage error (status 2) naming the fix, before anything starts.
func TestProxyUsageErrors(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := busy.Addr().(*net.TCPAddr).Port
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--proxy", "8080"}, `--proxy: "8080" is not LISTEN:TARGET; write the proxy's port and the app's, like --proxy 8080:3000`},
		{[]string{"--proxy", "3000:127.0.0.1:3000"}, "is where the proxy itself listens"},
		{[]string{"--proxy", "8080:3000", "--proxy-wait", "5"}, `--proxy-wait: "5" has no unit`},
		{[]string{"--proxy", fmt.Sprintf("%d:3000", busyPort)}, "address already in use; pick another port with --proxy"},
	} {
		code, stderr := runReload(t, dir, append(tc.args, "--", "sh", "-c", "echo started")...)
		if code != 2 || !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("reload %v: status %d, stderr %q; want 2 and one line with %q", tc.args, code, stderr, tc.want)
		}
	}
}
