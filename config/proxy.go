package config

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Hosts an address without one gets. The proxy listens on loopback only
// unless told otherwise (":8080" means every interface, as in Go and
// Docker). The app is dialled as "localhost" so that one bound to ::1 only
// (Vite, Node ≥ 17 listening on "localhost") is found as well as one bound
// to 127.0.0.1: Go tries each address localhost has.
const (
	DefaultListenHost = "127.0.0.1"
	DefaultTargetHost = "localhost"
)

// ListenAddr reads where the proxy listens: "8080", ":8080" or
// "host:8080", and returns it as host:port ("8080" → "127.0.0.1:8080";
// ":8080" stays, meaning every interface).
func ListenAddr(s string) (string, error) {
	host, port, err := splitAddr(s, "8080")
	if err != nil {
		return "", err
	}
	if host == "" && !strings.HasPrefix(strings.TrimSpace(s), ":") {
		host = DefaultListenHost
	}
	return net.JoinHostPort(host, port), nil
}

// TargetAddr reads the app's address: "3000", ":3000" or "host:3000",
// and returns it as host:port, with localhost when no host was given.
func TargetAddr(s string) (string, error) {
	host, port, err := splitAddr(s, "3000")
	if err != nil {
		return "", err
	}
	if host == "" {
		host = DefaultTargetHost
	}
	return net.JoinHostPort(host, port), nil
}

// splitAddr splits "port", ":port", "host:port" or "[v6]:port"; the host is
// "" when none was written. example is a port for the messages.
func splitAddr(s, example string) (host, port string, err error) {
	t := strings.TrimSpace(s)
	if strings.Contains(t, "://") {
		return "", "", fmt.Errorf("%q is a URL; write only the host and port, like \"127.0.0.1:%s\"", s, example)
	}
	port = t
	if strings.Contains(t, ":") {
		if host, port, err = net.SplitHostPort(t); err != nil {
			return "", "", fmt.Errorf("%q is not an address; write a port like \"%s\" or host:port like \"127.0.0.1:%s\"", s, example, example)
		}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || port != strconv.Itoa(n) {
		return "", "", fmt.Errorf("%q has no port from 1 to 65535; write it like \"%s\" or \"127.0.0.1:%s\"", s, example, example)
	}
	if strings.ContainsAny(host, " /") {
		return "", "", fmt.Errorf("%q is not a host name or IP address; write it like \"127.0.0.1:%s\"", host, example)
	}
	if host != "" && strings.Trim(host, "0123456789") == "" {
		// "4000:5000" would be dialled as a host named 4000: no such host.
		return "", "", fmt.Errorf("%q is a port where the host goes; write one port, or host:port like \"127.0.0.1:%s\"", s, example)
	}
	return host, port, nil
}

// SplitProxy reads the --proxy flag, LISTEN:TARGET, where each side is a
// port or host:port: "8080:3000", "127.0.0.1:8080:3000",
// "8080:127.0.0.1:3000". The first colon that leaves two valid addresses
// splits it. The two sides come back as written; Validate normalizes them.
func SplitProxy(s string) (listen, target string, err error) {
	for i := range len(s) {
		if s[i] != ':' {
			continue
		}
		l, t := s[:i], s[i+1:]
		if _, err := ListenAddr(l); err != nil {
			continue
		}
		if _, err := TargetAddr(t); err != nil {
			continue
		}
		return l, t, nil
	}
	if n := strings.Count(s, ":"); n >= 2 && strings.Trim(s, "0123456789:") == "" {
		return "", "", fmt.Errorf("%q has %d ports; --proxy takes two, LISTEN:TARGET, the proxy's port and the app's, like --proxy 8080:3000", s, n+1)
	}
	return "", "", fmt.Errorf("%q is not LISTEN:TARGET; write the proxy's port and the app's, like --proxy 8080:3000", s)
}

// proxy checks the [proxy] table and writes listen and target as host:port.
func (v *validator) proxy(p *Proxy) {
	if p.Wait.Duration < 0 {
		v.add(fmt.Sprintf(`%s is negative; use "0s" or more`, p.Wait), "proxy", "wait")
	}
	p.AllowedHosts = v.allowedHosts(p.AllowedHosts)
	listen, target := strings.TrimSpace(p.Listen), strings.TrimSpace(p.Target)
	switch {
	case listen == "" && target == "":
		p.Listen, p.Target = "", ""
		return
	case listen == "":
		v.add(`the proxy has a target but nowhere to listen; set listen, like listen = "8080"`, "proxy", "listen")
		return
	case target == "":
		v.add(`the proxy has nowhere to send requests; set target to the app's port, like target = "3000"`, "proxy", "target")
		return
	}
	l, lerr := ListenAddr(listen)
	if lerr != nil {
		v.add(lerr.Error(), "proxy", "listen")
	}
	t, terr := TargetAddr(target)
	if terr != nil {
		v.add(terr.Error(), "proxy", "target")
	}
	if lerr != nil || terr != nil {
		return
	}
	if loopsBack(l, t) {
		v.add(fmt.Sprintf("%s is where the proxy itself listens; set it to the app's own port", t), "proxy", "target")
		return
	}
	p.Listen, p.Target = l, t
}

// loopsBack reports whether target is the proxy's own listen address.
func loopsBack(listen, target string) bool {
	lh, lp, _ := net.SplitHostPort(listen)
	th, tp, _ := net.SplitHostPort(target)
	if lp != tp {
		return false
	}
	local := func(h string) bool {
		ip := net.ParseIP(h)
		return h == "" || h == "localhost" || (ip != nil && (ip.IsLoopback() || ip.IsUnspecified()))
	}
	return lh == th || (local(lh) && local(th))
}

// allowedHosts checks [proxy] allowed_hosts and returns the names in their
// one spelling: lower case, without a trailing dot. A name is matched
// without the port the browser adds; a leading dot also allows every
// subdomain.
func (v *validator) allowedHosts(hosts []string) []string {
	var out []string
	for _, h := range hosts {
		name := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
		bare := strings.TrimSuffix(strings.TrimPrefix(name, "["), "]")
		switch {
		case strings.Contains(name, "://") || strings.ContainsAny(name, "/ \t"):
			v.add(fmt.Sprintf(`%q is not a host name; write only the name, like "myapp.test"`, h), "proxy", "allowed_hosts")
		case strings.Contains(name, ":") && net.ParseIP(bare) == nil:
			host, _, _ := strings.Cut(name, ":")
			v.add(fmt.Sprintf(`%q has a port; write the name alone, like %q: any port is allowed`, h, host), "proxy", "allowed_hosts")
		case strings.Trim(name, ".") == "":
			v.add(fmt.Sprintf(`%q is empty; write a host name, like "myapp.test"`, h), "proxy", "allowed_hosts")
		default:
			if net.ParseIP(bare) != nil {
				name = bare
			}
			out = append(out, name)
		}
	}
	return out
}
