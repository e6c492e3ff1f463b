package inspect

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/reload-dev/reload/internal/command"
)

// Where node's inspector listens when its options name no address.
const (
	DefaultHost = "127.0.0.1"
	DefaultPort = 9229
)

// opens are node's options that open the inspector; portOptions only say
// where (node's --debug-port is the old name of --inspect-port).
var (
	opens       = map[string]bool{"--inspect": true, "--inspect-brk": true, "--inspect-wait": true}
	portOptions = map[string]bool{"--inspect-port": true, "--debug-port": true}
)

// Flags is what node's options before the script ask of its inspector.
type Flags struct {
	Args   []string // the options, pointed at the private address
	Host   string   // the host asked for, as written (DefaultHost when none)
	Port   int      // the port asked for (0: any free port)
	Option string   // the option that opens it, like "--inspect-brk" (the last one written)
}

// Addr is the address asked for, host:port.
func (f Flags) Addr() string { return net.JoinHostPort(f.Host, strconv.Itoa(f.Port)) }

// Rewrite reads node's options (the words before the script) and points
// every inspector address in them at private (host:port), so that node's
// own debugger listens where only reload connects. ok is false when no
// option opens the inspector (--inspect-port alone does not: it is for
// SIGUSR1). The address asked for is read as node reads it: "9230",
// "0.0.0.0", "0.0.0.0:9230", "[::1]:9230"; the last one written wins.
//
// Unless the user set --inspect-publish-uid, node is told to publish its
// URL over HTTP only: its "Debugger listening on" line would name the
// private address, which no client should keep; reload prints its own.
func Rewrite(args []string, private string) (f Flags, ok bool, err error) {
	f = Flags{Args: append([]string(nil), args...), Host: DefaultHost, Port: DefaultPort}
	publish := false
	defer func() {
		if ok && !publish {
			f.Args = append(f.Args, "--inspect-publish-uid=http")
		}
	}()
	for i := 0; i < len(args); i++ {
		name, value, has := command.NodeOption(args[i])
		switch {
		case opens[name]:
			ok, f.Option = true, name
			if has {
				if err := f.set(args[i], value); err != nil {
					return f, false, err
				}
			}
			f.Args[i] = name + "=" + private
		case portOptions[name]:
			opt := args[i]
			if !has {
				if i+1 == len(args) {
					return f, false, fmt.Errorf("%s needs an address, like %s 9229", opt, opt)
				}
				i++
				value = args[i]
				f.Args[i] = private
			} else {
				f.Args[i] = name + "=" + private
			}
			if err := f.set(opt, value); err != nil {
				return f, false, err
			}
		case name == "--inspect-publish-uid":
			// reload reads node's target from /json/list: keep it on.
			publish = true
			at := i
			if !has {
				if i+1 == len(args) {
					return f, false, fmt.Errorf("%s needs a value, like %s stderr,http", args[i], args[i])
				}
				i++
				at, value = i, args[i]
			}
			if !strings.Contains(","+value+",", ",http,") {
				f.Args[at] = strings.TrimSuffix(f.Args[at], value) + strings.TrimPrefix(value+",http", ",")
			}
		default:
			if _, next := command.NodeFlag(args[i]); next {
				i++ // its value, which may look like an option (-r --inspect loads a module so named)
			}
		}
	}
	return f, ok, nil
}

// set takes the address in value (written as arg), as node's
// SplitHostPort and port check read it.
func (f *Flags) set(arg, value string) error {
	host, port, hasHost, hasPort := splitHostPort(value)
	if value == "" || hasHost && host == "" {
		return fmt.Errorf("%s: no address after \"=\"; write it like --inspect=9229 or --inspect=127.0.0.1:9229", arg)
	}
	if hasPort {
		n, err := strconv.Atoi(port)
		if err != nil || n != 0 && (n < 1024 || n > 65535) {
			return fmt.Errorf("%s: node takes port 0 or 1024 to 65535, not %q; write it like --inspect=9229", arg, port)
		}
		f.Port = n
	}
	if hasHost {
		f.Host = host
	}
	return nil
}

// splitHostPort is node's reading of an inspector address: "[host]" is a
// host; without a colon, digits are a port and anything else a host; with
// one, the last colon splits host from port.
func splitHostPort(s string) (host, port string, hasHost, hasPort bool) {
	if h, ok := brackets(s); ok {
		return h, "", true, false
	}
	colon := strings.LastIndexByte(s, ':')
	if colon < 0 {
		if strings.Trim(s, "0123456789") == "" && s != "" {
			return "", s, false, true
		}
		return s, "", true, false
	}
	host = s[:colon]
	if h, ok := brackets(host); ok {
		host = h
	}
	return host, s[colon+1:], true, true
}

func brackets(s string) (string, bool) {
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		return s[1 : len(s)-1], true
	}
	return s, false
}
