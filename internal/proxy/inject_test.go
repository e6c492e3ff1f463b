package proxy

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
)

func TestInjectorPutsTagBeforeBodyOnce(t *testing.T) {
	t.Parallel()
	const tag = "<script>x</script>"
	tests := []struct{ in, want string }{
		{"<html><body>hi</body></html>", "<html><body>hi" + tag + "</body></html>"},
		{"<BODY>hi</BODY>", "<BODY>hi" + tag + "</BODY>"},
		{"<p>no body tag", "<p>no body tag" + tag},
		{"", tag},
		{"a</body>b</body>c", "a" + tag + "</body>b</body>c"},
		{"</bod", "</bod" + tag},
		{"</body", "</body" + tag}, // not the whole tag: at the end
	}
	for _, tt := range tests {
		// Whole, and one byte at a time (every chunk boundary inside "</body>").
		for _, src := range []io.Reader{strings.NewReader(tt.in), iotest.OneByteReader(strings.NewReader(tt.in))} {
			j := &injector{src: io.NopCloser(src), tag: []byte(tag), buf: make([]byte, 64)}
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
	j := &injector{src: pr, tag: []byte("<s>"), buf: make([]byte, 64)}
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

func TestInjectable(t *testing.T) {
	t.Parallel()
	get, _ := http.NewRequest(http.MethodGet, "http://x/", nil)
	head, _ := http.NewRequest(http.MethodHead, "http://x/", nil)
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
		{"html", resp(get, 200, "text/html; charset=utf-8", ""), true},
		{"html error page", resp(get, 500, "text/html", ""), true},
		{"identity", resp(get, 200, "TEXT/HTML", "identity"), true},
		{"gzip", resp(get, 200, "text/html", "gzip"), false},
		{"json", resp(get, 200, "application/json", ""), false},
		{"plain", resp(get, 200, "text/plain", ""), false},
		{"no type", resp(get, 200, "", ""), false},
		{"head", resp(head, 200, "text/html", ""), false},
		{"not modified", resp(get, 304, "text/html", ""), false},
		{"no content", resp(get, 204, "text/html", ""), false},
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
