//go:build unix

package e2e

import (
	"bufio"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// sse is one server-sent event.
type sse struct{ name, data string }

// eventStream listens on the proxy's live-reload stream as the page
// showing view gen would, until the test ends.
func eventStream(t *testing.T, proxy, gen string) <-chan sse {
	t.Helper()
	resp, err := (&http.Client{}).Get(proxy + "/__reload/events?gen=" + gen)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	ch := make(chan sse, 100)
	go func() {
		defer close(ch)
		var e sse
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			l := sc.Text()
			switch {
			case strings.HasPrefix(l, "event: "):
				e.name = l[len("event: "):]
			case strings.HasPrefix(l, "data: "):
				e.data = l[len("data: "):]
			case l == "" && e.name != "":
				ch <- e
				e = sse{}
			}
		}
	}()
	return ch
}

func nextEvent(t *testing.T, ch <-chan sse) sse {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("the event stream ended")
		}
		return e
	case <-time.After(within):
		t.Fatalf("no live-reload event within %v", within)
		return sse{}
	}
}

// pageView is the view a page served through the proxy is told it shows.
func pageView(t *testing.T, url string) string {
	t.Helper()
	_, body := getPage(t, url)
	m := regexp.MustCompile(`data-gen="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no reload script in\n%s", body)
	}
	return m[1]
}

// TestProxyCrashLoopReloadsPagesOnce: with --on-crash, an open page
// reloads once when the app goes down, not on each crash-restart attempt,
// and once more when the app is back.
func TestProxyCrashLoopReloadsPagesOnce(t *testing.T) {
	t.Parallel()
	p := startProxied(t, "hello", "--on-crash")
	events := eventStream(t, p.proxy, pageView(t, p.proxy+"/"))
	writeFile(t, p.dir, "crash", "")
	for range 4 {
		waitFor(t, p.errs, "app crashed")
	}
	if err := os.Remove(filepath.Join(p.dir, "crash")); err != nil {
		t.Fatal(err)
	}
	p.ready()
	var down []string
	for {
		e := nextEvent(t, events)
		if e.name != "reload" {
			t.Fatalf("event %q", e.name)
		}
		if !strings.Contains(e.data, "~") { // the app is back
			break
		}
		down = append(down, e.data)
	}
	if len(down) != 1 {
		t.Errorf("the page was told to reload %d times while the app crashed 4 times (%q); want once", len(down), down)
	}
}

// TestProxyCrashPageSaysWhereTheOutputIs: the app writes to the terminal
// itself, so the crash page cannot quote its error; it says where it is.
func TestProxyCrashPageSaysWhereTheOutputIs(t *testing.T) {
	t.Parallel()
	p := startProxied(t, "hello")
	writeFile(t, p.dir, "crash", "")
	waitFor(t, p.errs, "app crashed")
	code, body := getPage(t, p.proxy+"/")
	if code != http.StatusBadGateway || !strings.Contains(body, "see the terminal running reload for the app") {
		t.Fatalf("crash page: %d\n%s", code, body)
	}
}
