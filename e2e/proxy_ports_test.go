//go:build unix

package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// TestProxyThreePortsIsAUsageError: --proxy 8080:4000:5000 used to start,
// then hold every request 10 s for a 502 (a host named "4000"); it is a
// one-line usage error now.
func TestProxyThreePortsIsAUsageError(t *testing.T) {
	t.Parallel()
	code, stderr := runReload(t, t.TempDir(), "--proxy", "8080:4000:5000", "--", "sh", "-c", "echo started")
	if code != 2 || !strings.Contains(stderr, `"8080:4000:5000" has 3 ports; --proxy takes two`) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Errorf("status %d, stderr %q; want 2 and one line", code, stderr)
	}
}

// TestProxySwappedPortsAsks: with the sides of --proxy swapped, the app
// finds its port taken by the proxy and crashes; the status line and the
// crash page ask whether that is what happened, and say which side is which.
func TestProxySwappedPortsAsks(t *testing.T) {
	t.Parallel()
	ps := newProxySetup(t, "hello")
	p := startReloadIn(t, launch{dir: ps.dir, env: ps.env(ps.proxyPort)}, ps.args()...) // the app wants the proxy's port
	line := waitFor(t, p.errs, "is the app's port the proxy's?")
	if !strings.Contains(line, "--proxy LISTEN:TARGET — listen is where you browse") {
		t.Errorf("status line %q", line)
	}
	code, body := getPage(t, ps.url()+"/")
	if code != http.StatusBadGateway || !strings.Contains(body, "is the app&#39;s port the proxy&#39;s?") {
		t.Errorf("crash page: %d\n%s", code, body)
	}
}
