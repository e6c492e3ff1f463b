//go:build unix

package e2e

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// proxySetup is what startProxied (proxy_test.go) prepares, for tests that
// start reload their own way: a temp dir holding msg.txt, a port for the
// proxy and one for the test app.
type proxySetup struct {
	dir                string
	proxyPort, appPort int
	self               string // the test binary, which runs as the app
}

func newProxySetup(t *testing.T, msg string) proxySetup {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, dir, "msg.txt", msg)
	return proxySetup{dir: dir, proxyPort: freePort(t), appPort: freePort(t), self: self}
}

// args runs the test app behind --proxy PROXY:127.0.0.1:APP, with extra
// flags before the app's command.
func (ps proxySetup) args(extra ...string) []string {
	args := append([]string{"--delay", "10ms", "--proxy", fmt.Sprintf("%d:127.0.0.1:%d", ps.proxyPort, ps.appPort)}, extra...)
	return append(args, "--", ps.self)
}

// env makes the test binary the app, listening on port.
func (ps proxySetup) env(port int) []string {
	return []string{proxyAppEnv + "=1", "PORT=" + strconv.Itoa(port)}
}

func (ps proxySetup) url() string { return fmt.Sprintf("http://127.0.0.1:%d", ps.proxyPort) }

// TestProxyKeepsDescriptorsForTheApp: under ulimit -n 1024, 1,100 pages
// listening for live reloads cannot starve reload of descriptors: the
// oldest streams are closed beyond 256, connections wait beyond reload's
// share, and the app still restarts and is served.
func TestProxyKeepsDescriptorsForTheApp(t *testing.T) {
	t.Parallel()
	ps := newProxySetup(t, "before")
	cmd := exec.Command("sh", append([]string{"-c", `ulimit -n 1024 && exec "$0" "$@"`, reloadBin}, ps.args()...)...)
	cmd.Dir = ps.dir
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1"), ps.env(ps.appPort)...)
	p := launchProc(t, cmd)
	t.Cleanup(p.kill)
	waitFor(t, p.errs, "proxy: http://")
	p.ready()

	const clients, kept = 1100, 256
	var closed, reloaded atomic.Int64
	for range clients {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", ps.proxyPort))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		fmt.Fprintf(c, "GET /__reload/events?gen=x HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", ps.proxyPort)
		go func() {
			r := bufio.NewReader(c)
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					closed.Add(1)
					return
				}
				if strings.HasPrefix(l, "event: reload") {
					reloaded.Add(1)
				}
			}
		}()
	}
	deadline := time.Now().Add(within)
	for closed.Load() < clients-kept {
		if time.Now().After(deadline) {
			t.Errorf("%d of %d event streams closed within %v; want %d: reload holds them all", closed.Load(), clients, within, clients-kept)
			break // and see whether the app can still start
		}
		time.Sleep(10 * time.Millisecond) // polling a counter with a deadline
	}

	writeFile(t, ps.dir, "msg.txt", "after")
	if got := p.ready()["restarts"]; got != "1" {
		t.Fatalf("the app restarted with restarts=%s", got)
	}
	if code, body := getPage(t, ps.url()+"/"); code != 200 || !strings.Contains(body, "<h1>after</h1>") {
		t.Fatalf("after the restart: %d\n%s", code, body)
	}
	for reloaded.Load() < kept {
		if time.Now().After(deadline.Add(within)) {
			t.Fatalf("%d streams got the reload; want the %d kept open", reloaded.Load(), kept)
		}
		time.Sleep(10 * time.Millisecond) // polling a counter with a deadline
	}
	if n := closed.Load(); n != clients-kept {
		t.Errorf("%d streams closed; want %d", n, clients-kept)
	}
}
