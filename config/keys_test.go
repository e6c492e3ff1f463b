package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestKeyDefaultsComeFromDefault: the template's and --help's defaults are
// Default()'s values, written as TOML and as flag text.
func TestKeyDefaultsComeFromDefault(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ key, toml, text string }{
		{"build", `""`, ""},
		{"watch", `["."]`, ""},
		{"ignore", `[]`, ""},
		{"gitignore", "true", ""},
		{"delay", `"50ms"`, "50ms"},
		{"signal", `"SIGTERM"`, "SIGTERM"},
		{"stop_timeout", `"5s"`, "5s"},
		{"backoff.initial", `"100ms"`, "100ms"},
		{"backoff.max", `"10s"`, "10s"},
		{"backoff.max_crashes", "0", "0 (unlimited)"},
		{"poll", `"0s"`, ""},
		{"restartable", `"rs"`, "rs"},
		{"log", `"info"`, "info"},
		{"proxy.wait", `"10s"`, "10s"},
		{"proxy.live_reload", "true", ""},
		{"cmd", "", ""},
		{"ext", "", ""},
		{"env", "", ""},
		{"proxy", "", ""},
	} {
		k, ok := Lookup(tc.key)
		if !ok {
			t.Fatalf("no key %q", tc.key)
		}
		var f Flag
		if len(k.Flags) > 0 {
			f = k.Flags[0]
		}
		if got := k.DefaultTOML(); got != tc.toml {
			t.Errorf("%s: DefaultTOML() = %q; want %q", tc.key, got, tc.toml)
		}
		if got := k.DefaultText(f); got != tc.text {
			t.Errorf("%s: DefaultText() = %q; want %q", tc.key, got, tc.text)
		}
	}
}

func TestKeyUsage(t *testing.T) {
	t.Parallel()
	watch, _ := Lookup("watch")
	if got := watch.Usage(watch.Flags[0]); got != watch.Help+" (repeat)" {
		t.Errorf("--watch usage %q", got)
	}
	delay, _ := Lookup("delay")
	if got := delay.Usage(delay.Flags[0]); !strings.HasPrefix(got, delay.Help+" A bare number is seconds") {
		t.Errorf("--delay usage %q", got)
	}
	poll, _ := Lookup("poll")
	if got := poll.Usage(poll.Flags[1]); !strings.HasSuffix(got, " (--poll alone means 500ms; a bare number is milliseconds)") {
		t.Errorf("--poll usage %q", got)
	}
	gi, _ := Lookup("gitignore")
	if got := gi.Usage(gi.Flags[0]); got != "do not honour .gitignore files" {
		t.Errorf("--no-gitignore usage %q", got)
	}
}

// TestFlagsAreWellFormed: flag names and aliases are unique, every flag has
// a --help section and help, and a switch's value fits its key's field.
func TestFlagsAreWellFormed(t *testing.T) {
	t.Parallel()
	seen := map[string]string{"config": "", "c": "", "no-color": "", "help": "", "h": "", "version": "", // main's own
		"no-colors": "", "no-colours": "", "cwd": "", "dump": "", "spawn": "", "no-update-notifier": ""}
	for _, k := range Keys {
		for _, f := range k.Flags {
			for _, n := range append([]string{f.Name}, f.Aliases...) {
				if other, dup := seen[n]; dup {
					t.Errorf("flag %q of key %q is also %q's", n, k.Name, other)
				}
				seen[n] = k.Name
			}
			if f.Category == "" || k.Usage(f) == "" {
				t.Errorf("flag --%s has no --help section or help", f.Name)
			}
			if f.Sets != nil {
				var c Config
				if field := reflect.ValueOf(k.Field(&c)).Elem(); !reflect.TypeOf(f.Sets).AssignableTo(field.Type()) {
					t.Errorf("--%s sets %T, but %s is %s", f.Name, f.Sets, k.Name, field.Type())
				}
			}
		}
	}
}

func TestFlagFor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path []string
		want string
	}{
		{[]string{"delay"}, "--delay"},
		{[]string{"cmd"}, "--exec"},
		{[]string{"backoff", "max"}, "--backoff-max"},
		{[]string{"backoff", "initial"}, ""},
		{[]string{"proxy", "listen"}, "--proxy"},
		{[]string{"proxy", "wait"}, "--proxy-wait"},
		{[]string{"env", "A.B"}, "--env"},
		{[]string{"exec_map", ".x/y"}, ""},
		{[]string{"restartable"}, "--restartable"},
		{[]string{"log"}, ""}, // only switches set it, and only to valid values
	} {
		if got := flagFor(tc.path...); got != tc.want {
			t.Errorf("flagFor(%q) = %q; want %q", tc.path, got, tc.want)
		}
	}
}

// TestFlagParseDuration: nodemon's bare numbers count in the flag's unit
// (--delay 2.5 is seconds, --poll 1000 milliseconds); elsewhere they are the
// file's error, whose fix offers seconds first.
func TestFlagParseDuration(t *testing.T) {
	t.Parallel()
	flag := func(key, name string) Flag {
		k, _ := Lookup(key)
		for _, f := range k.Flags {
			if f.Name == name {
				return f
			}
		}
		t.Fatalf("no flag --%s", name)
		return Flag{}
	}
	for _, tc := range []struct {
		f       Flag
		in      string
		want    time.Duration
		wantErr string
	}{
		{flag("delay", "delay"), "2", 2 * time.Second, ""},
		{flag("delay", "delay"), "2.5", 2500 * time.Millisecond, ""},
		{flag("delay", "delay"), "300ms", 300 * time.Millisecond, ""},
		{flag("poll", "poll"), "1000", time.Second, ""},
		{flag("poll", "polling-interval"), "250", 250 * time.Millisecond, ""},
		{flag("delay", "delay"), "1e300", 0, `"1e300" has no unit`},
		{flag("delay", "delay"), "soon", 0, `"soon" is not a duration`},
		{flag("stop_timeout", "stop-timeout"), "5", 0, `"5" has no unit; write "5s" (or "5ms")`},
	} {
		got, err := tc.f.ParseDuration(tc.in)
		if got != tc.want || (err == nil) != (tc.wantErr == "") || (err != nil && !strings.HasPrefix(err.Error(), tc.wantErr)) {
			t.Errorf("--%s %q = %v, %v; want %v, %q", tc.f.Name, tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}
