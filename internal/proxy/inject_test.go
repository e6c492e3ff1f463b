package proxy

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

func TestInjectorPutsTagBeforeBodyOnce(t *testing.T) {
	t.Parallel()
	const tag = "<script>x</script>"
	tests := []struct{ in, want string }{
		{"<html><body>hi</body></html>", "<html><body>hi" + tag + "</body></html>"},
		{"<BODY>hi</BODY>", "<BODY>hi" + tag + "</BODY>"},
		{"<p>no body tag", "<p>no body tag" + tag},
		{"", tag},
		{"a</body>b</body>c", "a</body>b" + tag + "</body>c"},
		// The app quotes "</body>" inside its own script: the tag goes before
		// the page's real end, not into the script.
		{`<body><script>var q = "</body><img src=x onerror=alert(1)>";</script></body></html>`,
			`<body><script>var q = "</body><img src=x onerror=alert(1)>";</script>` + tag + `</body></html>`},
		{"</body></BODY>", "</body>" + tag + "</BODY>"},
		{"</body></body", tag + "</body></body"}, // the second is not whole
		{"</bod", "</bod" + tag},
		{"</body", "</body" + tag}, // not the whole tag: at the end
	}
	for _, tt := range tests {
		// Whole, and one byte at a time (every chunk boundary inside "</body>").
		for _, src := range []io.Reader{strings.NewReader(tt.in), iotest.OneByteReader(strings.NewReader(tt.in))} {
			j := &injector{src: io.NopCloser(src), tag: []byte(tag), buf: make([]byte, 64), max: maxHold}
			got, err := io.ReadAll(j)
			if err != nil || string(got) != tt.want {
				t.Errorf("inject(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		}
	}
}

// TestInjectorStreams: what the app wrote so far is readable before the
// app writes more, except a partial "</body>".
func TestInjectorStreams(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	j := &injector{src: pr, tag: []byte("<s>"), buf: make([]byte, 64), max: maxHold}
	defer j.Close()
	go pw.Write([]byte("<p>first</p></b"))
	buf := make([]byte, 64)
	n, err := j.Read(buf)
	if err != nil || string(buf[:n]) != "<p>first</p>" {
		t.Fatalf("first read = %q, %v; want the chunk without its partial </body>", buf[:n], err)
	}
	go func() {
		pw.Write([]byte("ody></html>"))
		pw.Close()
	}()
	rest, err := io.ReadAll(j)
	if err != nil || string(rest) != "<s></body></html>" {
		t.Fatalf("rest = %q, %v", rest, err)
	}
}

func TestPartialSuffix(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"abc": 0, "abc<": 1, "x</B": 3, "</body": 6, "</body>": 0, "<": 1, "": 0, "</x": 0} {
		if got := partialSuffix([]byte(in), closeBody); got != want {
			t.Errorf("partialSuffix(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestInjectorHoldsOnlyAfterTheLastBody: what follows a "</body>" waits
// for the next one or the end, but no more than max bytes: past that, the
// tag goes before a later "</body>", or at the end.
func TestInjectorHoldsOnlyAfterTheLastBody(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	j := &injector{src: pr, tag: []byte("<s>"), buf: make([]byte, 64), max: 16}
	defer j.Close()
	writes := make(chan string)
	go func() { // in order: a pipe's Write returns once the injector has read it all
		for w := range writes {
			pw.Write([]byte(w))
		}
		pw.Close()
	}()
	buf := make([]byte, 64)
	read := func(want string, write ...string) {
		t.Helper()
		go func() {
			for _, w := range write {
				writes <- w
			}
		}()
		n, err := j.Read(buf)
		if err != nil || string(buf[:n]) != want {
			t.Fatalf("after writing %q: read %q, %v; want %q", write, buf[:n], err, want)
		}
	}
	read("<p>a", "<p>a</body>")
	read("</body><p>b", "<p>b", "</body>c")              // "</body><p>b" waited: it might have been the end
	read("</body>c0123456789abcdef", "0123456789abcdef") // past max: not the end
	writes <- "</body>"
	close(writes)
	if rest, err := io.ReadAll(j); err != nil || string(rest) != "<s></body>" {
		t.Fatalf("rest = %q, %v", rest, err)
	}
}

func TestWantsPage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method string
		header []string
		want   bool
	}{
		{"GET", []string{"Sec-Fetch-Dest", "document", "Accept", "*/*"}, true},
		{"GET", []string{"Sec-Fetch-Dest", "empty", "Accept", "text/html"}, false}, // fetch() of a fragment
		{"GET", []string{"Sec-Fetch-Dest", "iframe", "Accept", "text/html"}, false},
		{"GET", []string{"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}, true},
		{"GET", []string{"Accept", "text/html, */*"}, true},
		{"GET", []string{"Accept", "*/*"}, false},
		{"GET", []string{"Accept", "application/json"}, false},
		{"GET", []string{"Accept", "application/json, text/html;q=0.5"}, false},
		{"GET", []string{"Accept", "text/html;q=0"}, false},
		{"GET", nil, false},
		{"POST", []string{"Sec-Fetch-Dest", "document"}, false},
		{"GET", []string{"Sec-Fetch-Dest", "document", "Upgrade", "websocket"}, false},
	}
	for _, tt := range tests {
		r, _ := http.NewRequest(tt.method, "http://x/", nil)
		for i := 0; i+1 < len(tt.header); i += 2 {
			r.Header.Set(tt.header[i], tt.header[i+1])
		}
		if got := wantsPage(r); got != tt.want {
			t.Errorf("%s %v: wantsPage = %v, want %v", tt.method, tt.header, got, tt.want)
		}
	}
}

func TestInjectable(t *testing.T) {
	t.Parallel()
	page, _ := http.NewRequest(http.MethodGet, "http://x/", nil)
	page.Header.Set("Sec-Fetch-Dest", "document")
	fragment, _ := http.NewRequest(http.MethodGet, "http://x/", nil)
	fragment.Header.Set("Accept", "*/*")
	head, _ := http.NewRequest(http.MethodHead, "http://x/", nil)
	head.Header.Set("Accept", "text/html")
	resp := func(req *http.Request, code int, ct, ce string) *http.Response {
		h := http.Header{"Content-Type": {ct}}
		if ce != "" {
			h.Set("Content-Encoding", ce)
		}
		return &http.Response{Request: req, StatusCode: code, Header: h, Body: http.NoBody}
	}
	tests := []struct {
		name string
		resp *http.Response
		want bool
	}{
		{"html", resp(page, 200, "text/html; charset=utf-8", ""), true},
		{"fragment", resp(fragment, 200, "text/html", ""), false},
		{"range", resp(page, 206, "text/html", ""), false},
		{"html error page", resp(page, 500, "text/html", ""), false},
		{"identity", resp(page, 200, "TEXT/HTML", "identity"), true},
		{"gzip", resp(page, 200, "text/html", "gzip"), false},
		{"json", resp(page, 200, "application/json", ""), false},
		{"plain", resp(page, 200, "text/plain", ""), false},
		{"no type", resp(page, 200, "", ""), false},
		{"head", resp(head, 200, "text/html", ""), false},
		{"not modified", resp(page, 304, "text/html", ""), false},
		{"no content", resp(page, 204, "text/html", ""), false},
	}
	for _, tt := range tests {
		if got := injectable(tt.resp); got != tt.want {
			t.Errorf("%s: injectable = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestScriptTagEscapesView(t *testing.T) {
	t.Parallel()
	if got := scriptTag(`a"><x`); !bytes.Contains([]byte(got), []byte(`data-gen="a&#34;&gt;&lt;x"`)) {
		t.Errorf("scriptTag = %q", got)
	}
}

// TestInjectionOnlyIntoPageLoads: through the proxy, a page load gets the
// script before the page's last </body>, outside the app's own script; a
// fragment fetched by a page and a range of a page pass untouched, with
// their own lengths.
func TestInjectionOnlyIntoPageLoads(t *testing.T) {
	t.Parallel()
	const reflected = `<html><body><script>var q = "</body><img src=x onerror=alert(1)>";</script></body></html>`
	_, base, _ := upProxy(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		http.ServeContent(w, r, "page.html", time.Time{}, strings.NewReader(reflected))
	}))
	resp, body := get(t, base+"/", "Accept", "text/html,*/*;q=0.8")
	want := `<script>var q = "</body><img src=x onerror=alert(1)>";</script><script src="/__reload/client.js"`
	if resp.StatusCode != 200 || !strings.Contains(body, want) || !strings.HasSuffix(body, "></script></body></html>") || resp.ContentLength != int64(len(body)) {
		t.Errorf("page load: %d, Content-Length %d for %d bytes: %q", resp.StatusCode, resp.ContentLength, len(body), body)
	}
	for _, h := range [][]string{
		{"Accept", "*/*"},
		{"Accept", "text/html", "Sec-Fetch-Dest", "empty"},
	} {
		if _, body := get(t, base+"/", h...); body != reflected {
			t.Errorf("fragment (%v) changed: %q", h, body)
		}
	}
	resp, body = get(t, base+"/", "Sec-Fetch-Dest", "document", "Range", "bytes=0-20")
	if resp.StatusCode != http.StatusPartialContent || body != reflected[:21] || resp.ContentLength != 21 {
		t.Errorf("range: %d, Content-Length %d, %q", resp.StatusCode, resp.ContentLength, body)
	}
}
