package proxy

import (
	"html"
	"io"
	"mime"
	"net/http"
	"strconv"
)

// scriptTag is what goes before </body>: the reload script, told which view
// of the app the page shows. It is an external same-origin script, so a
// Content-Security-Policy of script-src 'self' lets it run.
func scriptTag(view string) string {
	return `<script src="` + ownPrefix + `client.js" data-gen="` + html.EscapeString(view) + `"></script>`
}

// modify injects the reload script into HTML responses passing through.
// The body streams through as the app writes it; only a few bytes that
// might start "</body>" wait for the next chunk.
func (s *Server) modify(resp *http.Response) error {
	if !s.opts.LiveReload || !injectable(resp) {
		return nil
	}
	tag := scriptTag(s.snapshot().view())
	resp.Body = &injector{src: resp.Body, tag: []byte(tag), buf: make([]byte, 32*1024)}
	if resp.ContentLength >= 0 {
		// The tag goes in exactly once (before </body>, or at the end).
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

// injectable: an HTML body that is not compressed, for a request that was
// not HEAD.
func injectable(resp *http.Response) bool {
	if resp.Request == nil || resp.Request.Method == http.MethodHead || resp.Body == nil ||
		resp.StatusCode < 200 || resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified {
		return false
	}
	if ce := resp.Header.Get("Content-Encoding"); ce != "" && ce != "identity" {
		return false
	}
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return err == nil && mt == "text/html"
}

// closeBody is the tag injectors look for, matched without regard to case.
const closeBody = "</body>"

// injector copies src and puts tag before the first "</body>", or at the
// end when there is none (browsers run a script after </html> too).
type injector struct {
	src     io.ReadCloser
	tag     []byte
	buf     []byte
	pending []byte // ready to hand out
	held    []byte // the end of the last chunk, which may start "</body>"
	done    bool   // the tag is in
	err     error  // from src, returned once pending is empty
}

func (j *injector) Read(p []byte) (int, error) {
	for len(j.pending) == 0 {
		if j.err != nil {
			return 0, j.err
		}
		n, err := j.src.Read(j.buf)
		chunk := j.buf[:n] // handed out before the next read reuses buf
		if j.held != nil {
			chunk = append(j.held, chunk...)
			j.held = nil
		}
		switch {
		case j.done:
		case indexFold(chunk, closeBody) >= 0:
			i := indexFold(chunk, closeBody)
			chunk = append(chunk[:i], append(append([]byte(nil), j.tag...), chunk[i:]...)...)
			j.done = true
		case err == nil:
			k := partialSuffix(chunk, closeBody)
			j.held = append([]byte(nil), chunk[len(chunk)-k:]...)
			chunk = chunk[:len(chunk)-k]
		}
		if err != nil && !j.done {
			chunk = append(chunk, j.tag...) // no </body>: at the end, still exactly once
			j.done = true
		}
		j.pending, j.err = chunk, err
	}
	n := copy(p, j.pending)
	j.pending = j.pending[n:]
	return n, nil
}

func (j *injector) Close() error { return j.src.Close() }

// indexFold is the index of the ASCII string pat in b, ignoring case, or -1.
func indexFold(b []byte, pat string) int {
	for i := 0; i+len(pat) <= len(b); i++ {
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
