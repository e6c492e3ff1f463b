package config

import (
	"strings"
	"testing"
	"time"
)

func TestProxyAddrs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in             string
		listen, target string // "" means an error
	}{
		{"8080", "127.0.0.1:8080", "localhost:8080"},
		{" 8080 ", "127.0.0.1:8080", "localhost:8080"},
		{":8080", ":8080", "localhost:8080"},
		{"127.0.0.1:8080", "127.0.0.1:8080", "127.0.0.1:8080"},
		{"localhost:3000", "localhost:3000", "localhost:3000"},
		{"[::1]:3000", "[::1]:3000", "[::1]:3000"},
		{"0", "", ""},
		{"65536", "", ""},
		{"08080", "", ""},
		{"http", "", ""},
		{"localhost", "", ""},
		{"http://localhost:3000", "", ""},
		{"a b:80", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		l, lerr := ListenAddr(tt.in)
		if (lerr != nil) != (tt.listen == "") || l != tt.listen {
			t.Errorf("ListenAddr(%q) = %q, %v; want %q", tt.in, l, lerr, tt.listen)
		}
		g, terr := TargetAddr(tt.in)
		if (terr != nil) != (tt.target == "") || g != tt.target {
			t.Errorf("TargetAddr(%q) = %q, %v; want %q", tt.in, g, terr, tt.target)
		}
	}
	if _, err := TargetAddr("http://localhost:3000"); err == nil || !strings.Contains(err.Error(), "is a URL") {
		t.Errorf("a URL target: %v; want a message saying it is a URL", err)
	}
}

func TestSplitProxy(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, listen, target string }{
		{"8080:3000", "8080", "3000"},
		{":8080:3000", ":8080", "3000"},
		{"127.0.0.1:8080:3000", "127.0.0.1:8080", "3000"},
		{"8080:127.0.0.1:3000", "8080", "127.0.0.1:3000"},
		{"localhost:8080:localhost:3000", "localhost:8080", "localhost:3000"},
		{"[::1]:8080:[::1]:3000", "[::1]:8080", "[::1]:3000"},
		{"8080", "", ""},
		{"8080:", "", ""},
		{"8080:http", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		l, g, err := SplitProxy(tt.in)
		if (err != nil) != (tt.listen == "") || l != tt.listen || g != tt.target {
			t.Errorf("SplitProxy(%q) = %q, %q, %v; want %q, %q", tt.in, l, g, err, tt.listen, tt.target)
		}
		if err != nil && !strings.Contains(err.Error(), "--proxy 8080:3000") {
			t.Errorf("SplitProxy(%q) error %q does not show the fix", tt.in, err)
		}
	}
}

func TestProxyTableLoadsAndNormalizes(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, "clear = true\n[proxy]\nlisten = \"8080\"\ntarget = \"127.0.0.1:3000\"\nwait = \"3s\"\nlive_reload = false\n")
	c, err := Load(path, Default())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(path); err != nil {
		t.Fatal(err)
	}
	want := Proxy{Listen: "127.0.0.1:8080", Target: "127.0.0.1:3000", Wait: Duration{3 * time.Second}, LiveReload: false}
	if c.Proxy != want {
		t.Errorf("got %+v, want %+v", c.Proxy, want)
	}
	if err := c.Validate(""); err != nil || c.Proxy != want { // again after the flags: already in its one spelling
		t.Errorf("second Validate: %v, %+v", err, c.Proxy)
	}
}

func TestProxyProblemsNameLineAndKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		line       int
		key, msg   string
	}{
		{"listen without target", "[proxy]\nlisten = \"8080\"\n", 1, "proxy.target", "set target to the app's port"},
		{"target without listen", "[proxy]\ntarget = \"3000\"\n", 1, "proxy.listen", "nowhere to listen"},
		{"bad listen", "[proxy]\nlisten = \"80a\"\ntarget = \"3000\"\n", 2, "proxy.listen", `"80a" has no port from 1 to 65535`},
		{"URL target", "[proxy]\nlisten = \"8080\"\ntarget = \"http://localhost:3000\"\n", 3, "proxy.target", "is a URL"},
		{"target is the proxy", "[proxy]\nlisten = \"3000\"\ntarget = \"127.0.0.1:3000\"\n", 3, "proxy.target", "is where the proxy itself listens"},
		{"negative wait", "[proxy]\nwait = \"-1s\"\n", 2, "proxy.wait", "is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := writeConfig(t, tt.text)
			c, err := Load(path, Default())
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			ps := problems(t, c.Validate(path))
			if len(ps) != 1 {
				t.Fatalf("want one problem, got %d: %v", len(ps), ps)
			}
			if e := ps[0]; e.Line != tt.line || e.Key != tt.key || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got line %d key %q msg %q; want line %d key %q msg containing %q", e.Line, e.Key, e.Msg, tt.line, tt.key, tt.msg)
			}
		})
	}
	// From the flags, the problem names the flag.
	c := Default()
	c.Proxy.Listen = "8080"
	ps := problems(t, c.Validate(""))
	if len(ps) != 1 || ps[0].Flag != "--proxy" {
		t.Errorf("a flag problem: %v; want one naming --proxy", ps)
	}
}

func TestProxyKeysOutsideTheirTable(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"wait = \"1s\"\n":                         `did you mean "proxy.wait"?`,
		"[proxy]\nlisten = \"1\"\nclear = true\n": `"clear" is a top-level key, so move it above the [proxy] table`,
		"[proxy]\nport = 3\n":                     "[proxy] takes listen, target, wait and live_reload",
	} {
		_, err := Load(writeConfig(t, text), Default())
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want %q", text, err, want)
		}
	}
}
