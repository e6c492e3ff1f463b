package inspect

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// target is one entry of /json/list, in node's field order.
type target struct {
	Description               string `json:"description"`
	DevtoolsFrontendURL       string `json:"devtoolsFrontendUrl"`
	DevtoolsFrontendURLCompat string `json:"devtoolsFrontendUrlCompat"`
	FaviconURL                string `json:"faviconUrl"`
	ID                        string `json:"id"`
	Title                     string `json:"title"`
	Type                      string `json:"type"`
	URL                       string `json:"url"`
	WebSocketDebuggerURL      string `json:"webSocketDebuggerUrl"`
}

// StableID is the debugger target id for a project: the same for every
// run of reload in root, shaped like node's (a UUID), so a client that
// remembers it finds the app again after a restart, or after reload's.
func StableID(root string) string {
	h := sha256.Sum256([]byte("reload inspect\x00" + root))
	h[6] = h[6]&0x0f | 0x80 // the version and variant bits of a name-based UUID
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// stable is node's entry as reload lists it: its id and URLs are reload's
// (addr is host:port as the client reached reload); title, url and the
// rest are the latest node's. A zero node (none answered yet) lists a
// plain node target.
func stable(node target, id, addr string) target {
	t := node
	t.ID = id
	ws := addr + "/" + id
	t.WebSocketDebuggerURL = "ws://" + ws
	t.DevtoolsFrontendURL = "devtools://devtools/bundled/js_app.html?experiments=true&v8only=true&ws=" + ws
	t.DevtoolsFrontendURLCompat = "devtools://devtools/bundled/inspector.html?experiments=true&v8only=true&ws=" + ws
	if t.Description == "" {
		t.Description = "node.js instance"
	}
	if t.FaviconURL == "" {
		t.FaviconURL = "https://nodejs.org/static/images/favicons/favicon.ico"
	}
	if t.Type == "" {
		t.Type = "node"
	}
	if t.Title == "" {
		t.Title = "node (through reload)"
	}
	if t.URL == "" {
		t.URL = "file://"
	}
	return t
}

// probe is what one look at node's inspector found: its target and
// version (nil if it would not say).
type probe struct {
	target  target
	version json.RawMessage
}

// errNoTarget: node's inspector answered, but listed nothing to attach to.
var errNoTarget = errors.New("no debugger target listed")

// ask reads node's /json/list (and /json/version) at addr, once.
func ask(ctx context.Context, client *http.Client, addr string) (probe, error) {
	var list []target
	if err := getJSON(ctx, client, addr, "/json/list", &list); err != nil {
		return probe{}, err
	}
	for _, t := range list {
		if id := targetID(t); id != "" {
			t.ID = id
			var p probe
			p.target = t
			_ = getJSON(ctx, client, addr, "/json/version", &p.version) // only passed on
			return p, nil
		}
	}
	return probe{}, errNoTarget
}

// targetID is the path of t's WebSocket URL, where node accepts it.
func targetID(t target) string {
	u, err := url.Parse(t.WebSocketDebuggerURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}

func getJSON(ctx context.Context, client *http.Client, addr, path string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v)
}
