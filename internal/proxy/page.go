package proxy

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strings"
	"time"
)

// clientJS is the reload script. It listens on the proxy's event stream,
// saying which view of the app its page shows; the proxy sends "reload"
// once the view has moved on (the app is back after a restart, or failed).
// Because the page names its view, a restart that happens before the
// stream connects still reloads it.
const clientJS = `// reload: reloads this page when the app is back after a restart.
(function () {
  if (window.__reloadEvents || !window.EventSource) return;
  var me = document.currentScript;
  var gen = (me && me.getAttribute("data-gen")) || "";
  var es = new EventSource("` + ownPrefix + `events?gen=" + encodeURIComponent(gen));
  window.__reloadEvents = es;
  es.addEventListener("reload", function () {
    es.close();
    location.reload();
  });
  // Too many pages listen: the proxy closed this, the oldest, stream.
  es.addEventListener("bye", function (e) {
    es.close();
    console.info("reload: " + e.data);
  });
})();
`

// serveOwn serves the proxy's own paths.
func (s *Server) serveOwn(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case ownPrefix + "client.js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		io.WriteString(w, clientJS)
	case ownPrefix + "events":
		s.events(w, r)
	default:
		http.NotFound(w, r)
	}
}

// events is the server-sent-events stream a page's script listens on. It
// sends "reload" whenever the view moves past the one the page shows.
// Nothing ticks while nothing happens: it waits on the state's changes.
// Beyond limits.streams open streams, the oldest gets "bye" and ends.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	me := s.streams.add()
	defer s.streams.remove(me)
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Connection", "close") // an ended stream frees its connection's descriptor too
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, "retry: 1000\n\n") // after reload itself restarts, reconnect soon
	if rc.Flush() != nil {
		return
	}
	seen := r.URL.Query().Get("gen")
	for {
		st := s.snapshot()
		if v := st.view(); st.phase != holding && v != seen {
			seen = v
			fmt.Fprintf(w, "event: reload\ndata: %s\n\n", v)
			if rc.Flush() != nil {
				return
			}
		}
		select {
		case <-st.changed:
		case <-me.evicted:
			fmt.Fprintf(w, "event: bye\ndata: more than %d pages listen for reloads; this one no longer reloads by itself\n\n", s.limits.streams)
			rc.Flush()
			return
		case <-r.Context().Done(): // the page left, or reload is stopping
			return
		}
	}
}

// page is what the error page says.
type page struct {
	Code   int
	Title  string
	Detail string
	Hint   string
	Output string
	Paths  []string
	More   int
	Script template.HTML
}

var pageHTML = template.Must(template.New("page").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.3em;color:#a00}pre{background:#f3f3f3;padding:1em;overflow:auto;white-space:pre-wrap}
.note{color:#666}</style>
</head><body>
<h1>{{.Title}}</h1>
{{if .Detail}}<p>{{.Detail}}</p>{{end}}
{{if .Hint}}<p><strong>Nothing has accepted connections on the app's port yet:</strong> {{.Hint}}</p>{{end}}
{{if .Output}}<pre>{{.Output}}</pre>{{end}}
{{if .Paths}}<p>Changed:</p><ul>{{range .Paths}}<li><code>{{.}}</code></li>{{end}}</ul>{{if .More}}<p>and {{.More}} more</p>{{end}}{{end}}
<p class="note">reload · this page refreshes by itself when the app is back.</p>
{{.Script}}
</body></html>
`))

// maxPaths is how many changed files the page lists.
const maxPaths = 20

// fail answers a request the app did not: the error page, or nothing when
// the client has gone.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var down *appDownError
	st := s.snapshot()
	p := page{Code: http.StatusBadGateway}
	switch {
	case errors.As(err, &down):
		st = down.st
		p.Title = "The app " + st.what + ": " + st.status
		// The app writes to the terminal itself (colours, TTY), so reload
		// never sees its output and cannot quote it here.
		p.Detail = "Its error is in its own output: see the terminal running reload for the app's output. Fix the code and save: reload starts the app again."
		if st.what == "build failed" {
			p.Title = "The build failed: " + st.status
			p.Detail = "Fix the code and save: reload builds again. The output ends with:"
			p.Output = st.output
		}
		p.Paths = st.paths
		if st.what == "crashed" && st.ups == 0 {
			p.Hint = s.portHint()
		}
	case errors.As(err, new(shutdownError)):
		p.Code, p.Title = http.StatusServiceUnavailable, "reload is shutting down"
	case r.Context().Err() != nil:
		return // the client went away; nobody reads an answer
	case isDial(err):
		p.Title = "The app is not accepting connections"
		p.Detail = fmt.Sprintf("Nothing accepted a connection on %s within %s (%v). Check that the app listens on the port given to --proxy.",
			s.opts.Target, s.opts.Wait.Round(time.Millisecond), unwrapOp(err))
		s.opts.Log.Debugf("proxy: %s %s: %v", r.Method, r.URL.Path, err)
	default:
		p.Title = "The app did not answer"
		p.Detail = err.Error()
		s.opts.Log.Debugf("proxy: %s %s: %v", r.Method, r.URL.Path, err)
	}
	if len(p.Paths) > maxPaths {
		p.Paths, p.More = p.Paths[:maxPaths], len(p.Paths)-maxPaths
	}
	p.Script = template.HTML(scriptTag(st.view()))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Code)
	if r.Method != http.MethodHead {
		pageHTML.Execute(w, p)
	}
}

// unwrapOp shortens "dial tcp 127.0.0.1:3000: connect: connection refused"
// to its cause.
func unwrapOp(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}
