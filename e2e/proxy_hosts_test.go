//go:build unix

package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestProxyAnswersOnlyLocalNames: the proxy on 127.0.0.1 refuses a
// request for a name that is not local (DNS rebinding) with 403 and the
// line that allows it, answers localhost, *.localhost and 127.0.0.1, and
// the names [proxy] allowed_hosts lists.
func TestProxyAnswersOnlyLocalNames(t *testing.T) {
	t.Parallel()
	ps := newProxySetup(t, "hello")
	writeFile(t, ps.dir, ".reload.toml", "[proxy]\nallowed_hosts = [\"myapp.test\"]\n")
	p := startReloadIn(t, launch{dir: ps.dir, env: ps.env(ps.appPort)}, ps.args()...)
	waitFor(t, p.errs, "proxy: http://")
	p.ready()
	c := &http.Client{Timeout: within}
	get := func(host string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, ps.url()+"/ping", nil)
		req.Host = host
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("rebound.example")
	if code != http.StatusForbidden || !strings.Contains(body, `[proxy] allowed_hosts = ["rebound.example"]`) {
		t.Errorf("rebound.example: %d %q; want 403 saying how to allow it", code, body)
	}
	waitFor(t, p.errs, `proxy: refused a request for "rebound.example"`)
	for _, host := range []string{"localhost", "app.localhost:8080", "127.0.0.1", "myapp.test:80"} {
		if code, body := get(host); code != 200 || !strings.HasPrefix(body, "pong") {
			t.Errorf("%s: %d %q; want the app's answer", host, code, body)
		}
	}
}
