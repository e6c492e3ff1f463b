//go:build unix

package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/websocket"
)

// TestInspectSurvivesRestart: with --inspect, a CDP client on the URL
// from /json/list evaluates in the app; a change closes its connection;
// the same URL then reaches the new process. Only reload holds the
// address asked for, and the old node is gone.
func TestInspectSurvivesRestart(t *testing.T) {
	t.Parallel()
	needNode(t)
	dir := t.TempDir()
	writeFile(t, dir, "app.js", readyJS)
	addr := freeAddr(t)
	p := startReload(t, dir, "--inspect="+addr, "app.js")
	waitFor(t, p.errs, "[reload] debugger: ws://"+addr+"/")
	first := p.ready()
	url := debuggerURL(t, addr)
	if !strings.HasPrefix(url, "ws://"+addr+"/") {
		t.Fatalf("webSocketDebuggerUrl %s is not on %s", url, addr)
	}
	ws := dialCDP(t, url)
	if pid := evaluate(t, ws, 1, "process.pid"); pid != first["pid"] {
		t.Fatalf("process.pid through the debugger = %s; the app says %s", pid, first["pid"])
	}

	changed := time.Now()
	writeFile(t, dir, "app.js", readyJS+"// edited\n")
	var msg string
	if err := websocket.Message.Receive(ws, &msg); err == nil {
		t.Fatalf("the old connection stayed open after the change: %s", msg)
	}
	closed := time.Since(changed)
	ws = dialCDP(t, url) // the same URL: reload holds it until the new node answers
	pid := evaluate(t, ws, 1, "process.pid")
	answered := time.Since(changed)
	second := p.ready()
	if pid != second["pid"] || pid == first["pid"] {
		t.Fatalf("after the restart the debugger reached pid %s; old %s, new %s", pid, first["pid"], second["pid"])
	}
	t.Logf("reconnect: change → old connection closed in %v; change → new pid answered through the stable URL in %v",
		closed.Round(time.Millisecond), answered.Round(time.Millisecond))
	old, _ := strconv.Atoi(first["pid"])
	gone(t, old)
	if again := debuggerURL(t, addr); again != url {
		t.Fatalf("the debugger URL moved: %s, then %s", url, again)
	}
	if runtime.GOOS == "linux" {
		_, port, _ := net.SplitHostPort(addr)
		if held := listenersOn(t, port); !slices.Equal(held, []int{p.cmd.Process.Pid}) {
			t.Fatalf("port %s is held by %v; want reload (%d) alone", port, held, p.cmd.Process.Pid)
		}
	}
}

// TestInspectBrkEveryStart: --inspect-brk stops every start on its first
// line, as node does, and the same URL reaches each one.
func TestInspectBrkEveryStart(t *testing.T) {
	t.Parallel()
	needNode(t)
	dir := t.TempDir()
	writeFile(t, dir, "app.js", readyJS)
	addr := freeAddr(t)
	p := startReload(t, dir, "--inspect-brk="+addr, "app.js")
	waitFor(t, p.errs, "[reload] debugger: ws://"+addr+"/")
	url := debuggerURL(t, addr)
	for start := range 2 {
		ws := dialCDP(t, url)
		send(t, ws, `{"id":1,"method":"Debugger.enable"}`)
		send(t, ws, `{"id":2,"method":"Runtime.runIfWaitingForDebugger"}`)
		receive(t, ws, "Debugger.paused")
		select {
		case l := <-p.out:
			t.Fatalf("start %d ran while paused on its first line: %s", start, l)
		default:
		}
		send(t, ws, `{"id":3,"method":"Debugger.resume"}`)
		if got := p.ready(); got["restarts"] != strconv.Itoa(start) {
			t.Fatalf("start %d: ready %v", start, got)
		}
		if start == 0 {
			writeFile(t, dir, "app.js", readyJS+"// edited\n")
			receive(t, ws, "") // until reload closes it
		}
		ws.Close()
	}
}

// TestInspectUsageErrors: a port node would refuse, and a port that is
// taken, are one line and status 2 before anything starts.
func TestInspectUsageErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.js", readyJS)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	for flag, want := range map[string]string{
		"--inspect=80":                       `reload: --inspect=80: node takes port 0 or 1024 to 65535, not "80"`,
		"--inspect=" + taken.Addr().String(): "reload: --inspect: cannot serve the debugger on " + taken.Addr().String(),
	} {
		st, stderr := runReload(t, dir, flag, "app.js")
		if st != 2 || !strings.HasPrefix(stderr, want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("reload %s app.js: status %d, %q; want 2 and %q", flag, st, stderr, want)
		}
	}
}

// freeAddr is a loopback address with a port free now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// debuggerURL is the webSocketDebuggerUrl that /json/list at addr names.
func debuggerURL(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/json/list")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list []struct {
		URL string `json:"webSocketDebuggerUrl"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || len(list) != 1 {
		t.Fatalf("/json/list: %v, %d targets", err, len(list))
	}
	return list[0].URL
}

// dialCDP opens a CDP connection to url, as a debugger does, retrying
// while reload answers that no app runs (its wait is bounded).
func dialCDP(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ws, err := websocket.Dial(url, "", "http://127.0.0.1/")
		if err == nil {
			_ = ws.SetDeadline(time.Now().Add(within))
			return ws
		}
		if time.Now().After(deadline) {
			t.Fatalf("connect to %s: %v", url, err)
		}
		time.Sleep(10 * time.Millisecond) // polling a condition with a deadline
	}
}

func send(t *testing.T, ws *websocket.Conn, msg string) {
	t.Helper()
	if err := websocket.Message.Send(ws, msg); err != nil {
		t.Fatal(err)
	}
}

// receive reads messages until one for method; with method "", until
// the connection closes.
func receive(t *testing.T, ws *websocket.Conn, method string) {
	t.Helper()
	for {
		var msg struct {
			Method string `json:"method"`
		}
		err := websocket.JSON.Receive(ws, &msg)
		switch {
		case err != nil && method == "":
			return
		case err != nil:
			t.Fatalf("waiting for %s: %v", method, err)
		case method != "" && msg.Method == method:
			return
		}
	}
}

// evaluate runs expr in the app and returns its value as text.
func evaluate(t *testing.T, ws *websocket.Conn, id int, expr string) string {
	t.Helper()
	send(t, ws, fmt.Sprintf(`{"id":%d,"method":"Runtime.evaluate","params":{"expression":%q}}`, id, expr))
	for {
		var reply struct {
			ID     int `json:"id"`
			Result struct {
				Result struct {
					Value json.RawMessage `json:"value"`
				} `json:"result"`
			} `json:"result"`
		}
		if err := websocket.JSON.Receive(ws, &reply); err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		if reply.ID == id {
			return string(reply.Result.Result.Value)
		}
	}
}

// listenersOn returns the processes that listen on TCP port (Linux):
// the sockets from /proc/net/tcp{,6}, their owners from /proc/*/fd.
func listenersOn(t *testing.T, port string) []int {
	t.Helper()
	n, _ := strconv.Atoi(port)
	hexPort := fmt.Sprintf(":%04X", n)
	inodes := map[string]bool{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			fs := strings.Fields(line)
			if len(fs) > 9 && strings.HasSuffix(fs[1], hexPort) && fs[3] == "0A" { // 0A: LISTEN
				inodes["socket:["+fs[9]+"]"] = true
			}
		}
	}
	var pids []int
	procs, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, fd := range procs {
		if l, err := os.Readlink(fd); err == nil && inodes[l] {
			pid, _ := strconv.Atoi(strings.Split(fd, "/")[2])
			if !slices.Contains(pids, pid) {
				pids = append(pids, pid)
			}
		}
	}
	slices.Sort(pids)
	return pids
}

// TestInspectReadyLineNamesTheApp: node's debugger listens before the app
// does; the "app listening on" line must name the app's port, not it.
func TestInspectReadyLineNamesTheApp(t *testing.T) {
	t.Parallel()
	needNode(t)
	if runtime.GOOS != "linux" {
		t.Skip("readiness is found through Linux's /proc")
	}
	dir := t.TempDir()
	port := strconv.Itoa(freePort(t))
	writeFile(t, dir, "app.js", `setTimeout(() => require("http").createServer((q, s) => s.end("hi")).listen(`+port+`, "127.0.0.1"), 300);`+"\n")
	p := startReload(t, dir, "--inspect="+freeAddr(t), "app.js")
	if l := waitFor(t, p.errs, "app listening on"); !strings.Contains(l, "http://127.0.0.1:"+port+" ") {
		t.Fatalf("the ready line names another port than the app's %s: %q", port, l)
	}
}
