package inspect

import (
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

const (
	private = "127.0.0.1:40001"
	pub     = "--inspect-publish-uid=http" // added unless the user set it
)

func TestRewrite(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args   []string
		want   []string
		addr   string // "" when nothing opens the inspector
		option string
	}{
		{[]string{"--inspect"}, []string{"--inspect=" + private, pub}, "127.0.0.1:9229", "--inspect"},
		{[]string{"--inspect=9230"}, []string{"--inspect=" + private, pub}, "127.0.0.1:9230", "--inspect"},
		{[]string{"--inspect=0"}, []string{"--inspect=" + private, pub}, "127.0.0.1:0", "--inspect"},
		{[]string{"--inspect=0.0.0.0"}, []string{"--inspect=" + private, pub}, "0.0.0.0:9229", "--inspect"},
		{[]string{"--inspect-brk=localhost:9300"}, []string{"--inspect-brk=" + private, pub}, "localhost:9300", "--inspect-brk"},
		{[]string{"--inspect_brk=[::1]:9300"}, []string{"--inspect-brk=" + private, pub}, "[::1]:9300", "--inspect-brk"},
		{[]string{"--inspect-wait=[::1]"}, []string{"--inspect-wait=" + private, pub}, "[::1]:9229", "--inspect-wait"},
		{[]string{"-r", "dotenv/config", "--inspect-brk"}, []string{"-r", "dotenv/config", "--inspect-brk=" + private, pub}, "127.0.0.1:9229", "--inspect-brk"},
		// --inspect-port says where, as the next word or after "=".
		{[]string{"--inspect", "--inspect-port", "9333"}, []string{"--inspect=" + private, "--inspect-port", private, pub}, "127.0.0.1:9333", "--inspect"},
		{[]string{"--debug-port=0.0.0.0:9333", "--inspect"}, []string{"--debug-port=" + private, "--inspect=" + private, pub}, "0.0.0.0:9333", "--inspect"},
		// The last address written wins; host and port are set apart.
		{[]string{"--inspect=0.0.0.0:9300", "--inspect-port=9400"}, []string{"--inspect=" + private, "--inspect-port=" + private, pub}, "0.0.0.0:9400", "--inspect"},
		// reload reads node's /json/list: node must publish it there.
		{[]string{"--inspect", "--inspect-publish-uid=stderr"}, []string{"--inspect=" + private, "--inspect-publish-uid=stderr,http"}, "127.0.0.1:9229", "--inspect"},
		{[]string{"--inspect", "--inspect-publish-uid", "http"}, []string{"--inspect=" + private, "--inspect-publish-uid", "http"}, "127.0.0.1:9229", "--inspect"},
		// Nothing opens the inspector: nothing to serve.
		{[]string{"--inspect-port=9333"}, nil, "", ""},
		{[]string{"-r", "--inspect"}, nil, "", ""}, // a module named --inspect
		{[]string{"--enable-source-maps"}, nil, "", ""},
	} {
		f, ok, err := Rewrite(tc.args, private)
		switch {
		case err != nil:
			t.Errorf("Rewrite(%q): %v", tc.args, err)
		case ok != (tc.addr != ""):
			t.Errorf("Rewrite(%q) ok = %v", tc.args, ok)
		case ok && (!reflect.DeepEqual(f.Args, tc.want) || f.Addr() != tc.addr || f.Option != tc.option):
			t.Errorf("Rewrite(%q) = %q, %s, %s; want %q, %s, %s", tc.args, f.Args, f.Addr(), f.Option, tc.want, tc.addr, tc.option)
		}
	}
}

func TestRewriteErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--inspect=80"}, `--inspect=80: node takes port 0 or 1024 to 65535, not "80"`},
		{[]string{"--inspect=127.0.0.1:70000"}, `not "70000"`},
		{[]string{"--inspect=127.0.0.1:x"}, `not "x"`},
		{[]string{"--inspect="}, `--inspect=: no address after "="`},
		{[]string{"--inspect", "--inspect-port"}, "--inspect-port needs an address"},
	} {
		if _, _, err := Rewrite(tc.args, private); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Rewrite(%q) error %v; want %q", tc.args, err, tc.want)
		}
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	hosts := map[string][]netip.Addr{
		"me.test":  {netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("::1")},
		"lan.test": {netip.MustParseAddr("127.0.0.1"), netip.MustParseAddr("192.168.1.5")},
	}
	lookup := func(h string) ([]netip.Addr, error) {
		if a, ok := hosts[h]; ok {
			return a, nil
		}
		return nil, errors.New("no such host")
	}
	for _, tc := range []struct {
		host       string
		warn, fail string // "" for none
	}{
		{"127.0.0.1", "", ""},
		{"127.1.2.3", "", ""},
		{"::1", "", ""},
		{"LocalHost", "", ""},
		{"me.test", "", ""},
		{"0.0.0.0", "debugger on 0.0.0.0:9229 is open to every network this machine is on: whoever connects runs any code as you; --inspect=127.0.0.1:9229 keeps it to this machine", ""},
		{"::", "debugger on [::]:9229 is open to every network", ""},
		{"192.168.1.5", "open to every machine that reaches 192.168.1.5", ""},
		{"lan.test", "", "--inspect=lan.test:9229: lan.test is 192.168.1.5, not a loopback address; reload serves the debugger on loopback only unless the address is written out (--inspect=192.168.1.5:9229 opens it"},
		{"nowhere.test", "", "--inspect=nowhere.test:9229: cannot look up nowhere.test (no such host); write an address, like --inspect=127.0.0.1:9229"},
	} {
		f := Flags{Host: tc.host, Port: 9229, Option: "--inspect"}
		warn, err := f.Check(lookup)
		if tc.fail != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.fail) {
				t.Errorf("Check(%s) error %v; want %q", tc.host, err, tc.fail)
			}
			continue
		}
		if err != nil || !strings.Contains(warn, tc.warn) || (tc.warn == "") != (warn == "") {
			t.Errorf("Check(%s) = %q, %v; want %q", tc.host, warn, err, tc.warn)
		}
	}
}

func TestAllowedHost(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"":                    true,
		"127.0.0.1:9229":      true,
		"localhost:9229":      true,
		"LOCALHOST":           true,
		"[::1]:9229":          true,
		"192.168.1.5:9229":    true,
		"evil.example:9229":   false,
		"localhost.evil:9229": false,
		"evil.example":        false,
	} {
		if got := allowedHost(host); got != want {
			t.Errorf("allowedHost(%q) = %v; want %v", host, got, want)
		}
	}
}

func TestStableID(t *testing.T) {
	t.Parallel()
	a, b := StableID("/home/me/app"), StableID("/home/me/other")
	if a != StableID("/home/me/app") || a == b {
		t.Fatalf("StableID: %s and %s", a, b)
	}
	if len(a) != 36 || strings.Count(a, "-") != 4 || a[14] != '8' {
		t.Fatalf("StableID %s is not shaped like a UUID", a)
	}
}
