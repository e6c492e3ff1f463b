package proxy

import (
	"html"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// scriptTag is what goes before </body>: the reload script, told which view
// of the app the page shows. It is an external same-origin script, so a
// Content-Security-Policy of script-src 'self' lets it run.
func scriptTag(view string) string {
	return `<script src="` + ownPrefix + `client.js" data-gen="` + html.EscapeString(view) + `"></script>`
}

// modify injects the reload script into page loads passing through. The
// body streams through as the app writes it; only what follows the last
// "</body>" seen so far waits (a bounded amount) for the next one or the end.
func (s *Server) modify(resp *http.Response) error {
	if !s.opts.LiveReload || !injectable(resp) {
		return nil
	}
	tag := scriptTag(s.snapshot().view())
	resp.Body = &injector{src: resp.Body, tag: []byte(tag), buf: make([]byte, 32*1024), max: maxHold}
	if resp.ContentLength >= 0 {
		// The tag goes in exactly once (before the last </body>, or at the end).
		resp.ContentLength += int64(len(tag))
		resp.Header.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	}
	// The page holds a view of this app instance: never let a cache or a
	// 304 bring it back later, or it would reload for an old generation.
	resp.Header.Del("ETag")
	resp.Header.Del("Last-Modified")
	resp.Header.Set("Cache-Control", "no-store")
	return nil
}

// injectable: a whole, plain HTML page (200, not compressed) answering a
// page load (see wantsPage). Not a 206 range, an error page, or a fragment
// a page fetched for itself (htmx and friends): a script in those would
// break the range's length or run inside the page that fetched them.
func injectable(resp *http.Response) bool {
	if resp.Request == nil || !wantsPage(resp.Request) || resp.Body == nil || resp.StatusCode != http.StatusOK {
		return false
	}
	if ce := resp.Header.Get("Content-Encoding"); ce != "" && ce != "identity" {
		return false
	}
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return err == nil && mt == "text/html"
}

// wantsPage reports whether r is a browser loading a page, the only
// requests whose answer may get the reload script: a GET whose
// Sec-Fetch-Dest is "document", or, from a browser that sends no
// Sec-Fetch-Dest, whose Accept prefers text/html. A fetch() or XHR says
// "empty" there, or accepts */* or JSON.
func wantsPage(r *http.Request) bool {
	if r.Method != http.MethodGet || r.Header.Get("Upgrade") != "" {
		return false
	}
	if dest := r.Header.Get("Sec-Fetch-Dest"); dest != "" {
		return dest == "document"
	}
	return prefersHTML(r.Header.Values("Accept"))
}

// prefersHTML reports whether an Accept header names text/html with a
// quality no other type beats.
func prefersHTML(accept []string) bool {
	html, best := -1.0, 0.0
	for _, line := range accept {
		for _, part := range strings.Split(line, ",") {
			mt, params, err := mime.ParseMediaType(part)
			if err != nil {
				continue
			}
			q := 1.0
			if v, ok := params["q"]; ok {
				if q, err = strconv.ParseFloat(v, 64); err != nil {
					continue
				}
			}
			if mt == "text/html" {
				html = max(html, q)
			} else {
				best = max(best, q)
			}
		}
	}
	return html > 0 && html >= best
}

// closeBody is the tag injectors look for, matched without regard to case.
const closeBody = "</body>"

// maxHold bounds what an injector holds back after a "</body>" while it
// waits to learn whether another follows. Past it, that "</body>" was not
// the page's end (it was text inside the page): the bytes go on, and the
// tag goes before a later one or at the end.
const maxHold = 64 * 1024

// injector copies src and puts tag before the last "</body>", or at the
// end when there is none (browsers run a script after </html> too). The
// first "</body>" may be the app's own text, inside a <script> or an
// attribute, where a script tag would end the app's script early and run
// what the page only quoted; the page's real end is the last.
type injector struct {
	src     io.ReadCloser
	tag     []byte
	buf     []byte
	max     int    // the most held back after a "</body>" (maxHold)
	pending []byte // ready to hand out
	held    []byte // from the last "</body>" (cand), or a partial one at the end
	cand    bool   // held starts with a whole "</body>"
	done    bool   // the tag is in
	err     error  // from src, returned once pending is empty
}

func (j *injector) Read(p []byte) (int, error) {
	for len(j.pending) == 0 {
		if j.err != nil {
			return 0, j.err
		}
		n, err := j.src.Read(j.buf)
		j.pending, j.err = j.next(j.buf[:n], err), err
	}
	n := copy(p, j.pending)
	j.pending = j.pending[n:]
	return n, nil
}

// next takes a chunk read from src (and its error) and returns what may be
// handed out now.
func (j *injector) next(chunk []byte, err error) []byte {
	if j.done {
		return chunk
	}
	data, own := chunk, false // own: data is not buf, which the next read reuses
	from := 0
	if len(j.held) > 0 {
		data, own = append(j.held, chunk...), true
		if j.cand { // held has no "</body>" after its first: look only where chunk joins it
			from = max(1, len(j.held)-len(closeBody)+1)
		}
	}
	var out, keep []byte
	if i := lastIndexFold(data[from:], closeBody); i >= 0 {
		out, keep, j.cand = data[:from+i], data[from+i:], true
	} else if j.cand {
		out, keep = nil, data
	} else {
		k := partialSuffix(data, closeBody)
		out, keep = data[:len(data)-k], data[len(data)-k:]
	}
	if j.cand && len(keep) > j.max {
		k := partialSuffix(keep, closeBody)
		out, keep, j.cand = data[:len(data)-k], data[len(data)-k:], false
	}
	if err != nil {
		j.done = true
		if j.cand {
			return concat(out, j.tag, keep)
		}
		return concat(out, keep, j.tag)
	}
	j.held = nil
	if len(keep) > 0 {
		if !own {
			keep = append([]byte(nil), keep...)
		}
		j.held = keep
	}
	return out
}

func concat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func (j *injector) Close() error { return j.src.Close() }

// lastIndexFold is the index of the last ASCII string pat in b, ignoring
// case, or -1.
func lastIndexFold(b []byte, pat string) int {
	for i := len(b) - len(pat); i >= 0; i-- {
		if hasPrefixFold(b[i:], pat) {
			return i
		}
	}
	return -1
}

func hasPrefixFold(b []byte, pat string) bool {
	for k := 0; k < len(pat); k++ {
		if lower(b[k]) != pat[k] {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// partialSuffix is the length of the longest end of b that is a proper
// start of pat (ignoring case): bytes that must wait for the next chunk.
func partialSuffix(b []byte, pat string) int {
	for k := min(len(pat)-1, len(b)); k > 0; k-- {
		if hasPrefixFold(b[len(b)-k:], pat[:k]) {
			return k
		}
	}
	return 0
}
