package inspect

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// Check says whether reload may serve the debugger where f asks. The
// debugger runs any code it is sent, so it stays on loopback unless the
// user wrote out another address: a loopback address or "localhost" is
// served as is; an IP address that is not loopback (0.0.0.0 in a
// container) is served with warning saying what it exposes; a host name
// that resolves to anything but loopback is refused, since what it would
// expose is written nowhere (and moves with DNS). lookup resolves names
// (net.DefaultResolver's, in main).
func (f Flags) Check(lookup func(host string) ([]netip.Addr, error)) (warning string, err error) {
	asked := f.Option + "=" + f.Addr()
	if strings.EqualFold(f.Host, "localhost") {
		return "", nil
	}
	if a, err := netip.ParseAddr(f.Host); err == nil {
		if a.Unmap().IsLoopback() {
			return "", nil
		}
		keep := fmt.Sprintf("%s=%s keeps it to this machine", f.Option, net.JoinHostPort(DefaultHost, strconv.Itoa(f.Port)))
		if a.IsUnspecified() {
			return fmt.Sprintf("debugger on %s is open to every network this machine is on: whoever connects runs any code as you; %s", f.Addr(), keep), nil
		}
		return fmt.Sprintf("debugger on %s is open to every machine that reaches %s: whoever connects runs any code as you; %s", f.Addr(), a, keep), nil
	}
	addrs, err := lookup(f.Host)
	if err != nil || len(addrs) == 0 {
		return "", fmt.Errorf("%s: cannot look up %s (%v); write an address, like %s=%s", asked, f.Host, err, f.Option, net.JoinHostPort(DefaultHost, strconv.Itoa(f.Port)))
	}
	for _, a := range addrs {
		if !a.Unmap().IsLoopback() {
			return "", fmt.Errorf("%s: %s is %s, not a loopback address; reload serves the debugger on loopback only "+
				"unless the address is written out (%s=%s opens it to every machine that reaches %s)",
				asked, f.Host, a.Unmap(), f.Option, net.JoinHostPort(a.Unmap().String(), strconv.Itoa(f.Port)), a.Unmap())
		}
	}
	return "", nil
}

// allowedHost reports whether a request's Host header may be answered: an
// IP address or localhost, as node's inspector allows, so a web page on a
// name that resolves to 127.0.0.1 (DNS rebinding) cannot reach the
// debugger through the user's browser.
func allowedHost(hostport string) bool {
	if hostport == "" {
		return true // HTTP/1.0 sends none; a browser always sends one
	}
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host, _ = brackets(host)
	if strings.EqualFold(host, "localhost") {
		return true
	}
	_, err := netip.ParseAddr(host)
	return err == nil
}
