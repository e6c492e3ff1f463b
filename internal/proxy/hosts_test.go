package proxy

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestHostGuard(t *testing.T) {
	t.Parallel()
	loop := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}
	g := newHostGuard("localhost:8080", loop, []string{"myapp.test", ".dev.test"})
	for host, want := range map[string]bool{
		"localhost:8080":       true,
		"LOCALHOST":            true,
		"127.0.0.1:8080":       true,
		"127.0.0.2":            true,
		"[::1]:8080":           true,
		"app.localhost:8080":   true,
		"localhost.:8080":      true,
		"":                     true,
		"myapp.test:8080":      true,
		"dev.test":             true,
		"a.b.dev.test:1":       true,
		"evil.example":         false,
		"evil.example:8080":    false,
		"myapp.test.evil.com":  false,
		"localhost.evil.com":   false,
		"notdev.test":          false,
		"192.168.1.5:8080":     false,
		"127.0.0.1.nip.io:808": false,
	} {
		if got := g.allows(host); got != want {
			t.Errorf("allows(%q) = %v; want %v", host, got, want)
		}
	}
	every := newHostGuard(":8080", &net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, nil)
	if !every.allows("192.168.1.5:8080") || !every.allows("anything.example") {
		t.Error("listening on every interface, a host name was refused")
	}
	named := newHostGuard("devbox.lan:8080", loop, nil)
	if !named.allows("devbox.lan:8080") {
		t.Error("the name the proxy was told to listen on was refused")
	}
}

// TestForeignHostIsRefused: through a proxy on loopback, a request for a
// name that is not local gets 403 and how to allow it, for the app's pages
// and the proxy's own event stream alike; a local name goes through.
func TestForeignHostIsRefused(t *testing.T) {
	t.Parallel()
	_, base, _ := upProxy(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "app") }))
	for _, path := range []string{"/", "/__reload/events"} {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Host = "rebound.example:8080"
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), `[proxy] allowed_hosts = ["rebound.example"]`) {
			t.Errorf("%s for rebound.example: %d %q", path, resp.StatusCode, b)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/", nil)
	req.Host = "shop.localhost"
	if resp, err := client.Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("shop.localhost: %v, %v", resp, err)
	} else {
		resp.Body.Close()
	}
}
