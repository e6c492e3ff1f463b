package proxy

import (
	"fmt"
	"net"
	"net/http"
	"strings"
)

// hostGuard decides which Host headers the proxy answers. Listening on
// loopback, it answers only names that mean this machine, as
// webpack-dev-server and Vite do: a web page elsewhere could otherwise
// point its own name at 127.0.0.1 (DNS rebinding) and read the app with
// the browser's help. Listening on every interface, names are the user's
// business.
type hostGuard struct {
	on      bool
	listen  string   // the listen host, always allowed
	allowed []string // [proxy] allowed_hosts: exact names, or ".suffix" for a domain
}

// newHostGuard guards a proxy told to listen on listen, which got bound.
func newHostGuard(listen string, bound net.Addr, allowed []string) hostGuard {
	host, _, _ := net.SplitHostPort(bound.String())
	return hostGuard{on: isLoopback(host), listen: hostName(listen), allowed: allowed}
}

// isLoopback reports whether host names this machine only: localhost,
// *.localhost (RFC 6761 keeps them here), 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hostName is the name in a Host header, without its port or brackets.
func hostName(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	return strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
}

// allows reports whether a request for hostport may be answered. An empty
// Host (HTTP/1.0) comes from no browser, so from no rebinding attack.
func (g hostGuard) allows(hostport string) bool {
	name := hostName(hostport)
	if !g.on || name == "" || name == g.listen || isLoopback(name) {
		return true
	}
	for _, a := range g.allowed {
		if name == a || (strings.HasPrefix(a, ".") && (name == a[1:] || strings.HasSuffix(name, a))) {
			return true
		}
	}
	return false
}

// refuseHost answers a request for a name the proxy does not serve, with
// how to allow it.
func (s *Server) refuseHost(w http.ResponseWriter, r *http.Request) {
	name := hostName(r.Host)
	if !s.refused.Swap(true) {
		s.opts.Log.Warnf("proxy: refused a request for %q, not a local name; to allow it, set [proxy] allowed_hosts = [%q] in .reload.toml", name, name)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintf(w, "reload: the proxy listens on %s and answers only local names (localhost, *.localhost, 127.0.0.1, [::1]), not %q: another site could reach the app through it by DNS rebinding.\n", s.opts.Listen, name)
	fmt.Fprintf(w, "To allow this name, add it to .reload.toml: [proxy] allowed_hosts = [%q]\n", name)
}
