//go:build unix

package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestProxyInjectsOnlyAtThePagesEnd: an app that reflects
// "</body><img onerror>" inside its own <script> is as safe through the
// proxy as served directly: the reload script goes before the page's last
// </body>, never into the app's script; a fragment fetched by a page
// (Accept: */*, or Sec-Fetch-Dest: empty) passes untouched.
func TestProxyInjectsOnlyAtThePagesEnd(t *testing.T) {
	t.Parallel()
	const reflected = `<script>var q = "</body><img src=x onerror=alert(1)>";</script>`
	p := startProxied(t, reflected)
	direct := fetch(t, "http://"+p.app+"/", "Accept", "text/html")
	code, page := getPage(t, p.proxy+"/")
	if code != 200 || !strings.Contains(page, "<h1>"+reflected+"</h1><script src=\"/__reload/client.js\"") ||
		!strings.HasSuffix(page, "></script></body></html>") {
		t.Fatalf("page load through the proxy: %d\n%s", code, page)
	}
	if without := strings.Replace(page, page[strings.LastIndex(page, "<script src="):strings.LastIndex(page, "</body>")], "", 1); without != direct {
		t.Errorf("the page differs from the app's beyond the added script:\n%s\n%s", without, direct)
	}
	for _, h := range [][]string{{"Accept", "*/*"}, {"Accept", "text/html", "Sec-Fetch-Dest", "empty"}} {
		if got := fetch(t, p.proxy+"/", h...); got != direct {
			t.Errorf("fragment fetch %v changed by the proxy:\n%s", h, got)
		}
	}
}

// fetch GETs url with the given header pairs and returns the body of a 200.
func fetch(t *testing.T, url string, header ...string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := (&http.Client{Timeout: within}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d, %v", url, resp.StatusCode, err)
	}
	return string(b)
}
