package config

import (
	"reflect"
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
		{"4000:5000", "", ""}, // a port where the host goes
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
	if _, err := TargetAddr("4000:5000"); err == nil || !strings.Contains(err.Error(), "is a port where the host goes") {
		t.Errorf("a port for a host: %v", err)
	}
	if _, _, err := SplitProxy("8080:4000:5000"); err == nil || !strings.Contains(err.Error(), "has 3 ports; --proxy takes two") {
		t.Errorf("three ports: %v", err)
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
		{"8080:4000:5000", "", ""},
		{"127.0.0.1:8080:4000:5000", "", ""},
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
	path := writeConfig(t, "clear = true\n[proxy]\nlisten = \"8080\"\ntarget = \"127.0.0.1:3000\"\nwait = \"3s\"\nlive_reload = false\nallowed_hosts = [\"MyApp.test.\", \".dev.test\", \"[::2]\"]\n")
	c, err := Load(path, Default())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(path); err != nil {
		t.Fatal(err)
	}
	want := Proxy{Listen: "127.0.0.1:8080", Target: "127.0.0.1:3000", Wait: Duration{3 * time.Second}, LiveReload: false,
		AllowedHosts: []string{"myapp.test", ".dev.test", "::2"}}
	if !reflect.DeepEqual(c.Proxy, want) {
		t.Errorf("got %+v, want %+v", c.Proxy, want)
	}
	if err := c.Validate(""); err != nil || !reflect.DeepEqual(c.Proxy, want) { // again after the flags: already in its one spelling
		t.Errorf("second Validate: %v, %+v", err, c.Proxy)
	}
}

// The [proxy] file problems are rows of TestValidateFileProblemsNameLineAndKey;
// from the flags, the problem names the flag.
func TestProxyFlagProblemNamesTheFlag(t *testing.T) {
	t.Parallel()
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
		"[proxy]\nport = 3\n":                     "[proxy] takes listen, target, wait, live_reload and allowed_hosts",
	} {
		_, err := Load(writeConfig(t, text), Default())
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want %q", text, err, want)
		}
	}
}

func TestProxyAllowedHostsProblems(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]string{
		"myapp.test:8080":   `"myapp.test:8080" has a port; write the name alone, like "myapp.test"`,
		"http://myapp.test": `"http://myapp.test" is not a host name`,
		" ":                 `" " is empty`,
	} {
		path := writeConfig(t, "[proxy]\nlisten = \"8080\"\ntarget = \"3000\"\nallowed_hosts = [\""+host+"\"]\n")
		c, err := Load(path, Default())
		if err == nil {
			err = c.Validate(path)
		}
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "proxy.allowed_hosts") {
			t.Errorf("allowed_hosts = [%q]: %v; want %q", host, err, want)
		}
	}
}
