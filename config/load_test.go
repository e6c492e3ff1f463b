package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// writeConfig writes text to a fresh .reload.toml and returns its path.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// problems returns every *Error in err (one, or an errors.Join of them).
func problems(t *testing.T, err error) []*Error {
	t.Helper()
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var out []*Error
	for _, e := range errs {
		var ce *Error
		if !errors.As(e, &ce) {
			t.Fatalf("%T %q is not a *config.Error", e, e)
		}
		out = append(out, ce)
	}
	return out
}

func TestLoadErrorsNameLineAndKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		line       int
		key, msg   string
	}{
		{"unknown top-level key", "delay = \"1s\"\n\ndealy = \"2s\"\n", 3, "dealy", `no such key; did you mean "delay"?`},
		{"key in the wrong case", "Delay = \"1s\"\n", 1, "Delay", `did you mean "delay"?`},
		{"flag spelling of a key", "# c\nstop-timeout = \"1s\"\n", 2, "stop-timeout", `did you mean "stop_timeout"?`},
		{"backoff key at top level", "max_crashes = 3\n", 1, "max_crashes", `did you mean "backoff.max_crashes"?`},
		{"unknown key in [backoff]", "[backoff]\ninitial = \"1s\"\nfoo = 1\n", 3, "backoff.foo", "[backoff] takes initial, max"},
		{"top-level key after [backoff]", "[backoff]\nmax = \"1s\"\ndelay = \"1s\"\n", 3, "backoff.delay", `"delay" is a top-level key, so move it above the [backoff] table`},
		{"unknown array of tables", "[[server]]\nport = 1\n[[server]]\nport = 2\n", 1, "server", "no such key"},
		{"unknown table", "clear = true\n[server]\nport = 1\n", 2, "server", "no such key"},
		{"bad duration", "watch = [\".\"]\ndelay = \"fast\"\n", 2, "delay", `"fast" is not a duration; write it like "500ms" or "2s"`},
		{"bare number string", "\n\ndelay = \"100\"\n", 3, "delay", `"100" has no unit; write "100s" (or "100ms")`},
		{"bare number", "delay = 5\n", 1, "delay", `5 has no unit; write "5s" (or "5ms")`},
		{"bare float", "poll = 1.5\n", 1, "poll", `1.5 has no unit; write "1.5s" (or "1.5ms")`},
		{"duration of wrong type", "stop_timeout = true\n", 1, "stop_timeout", `want a duration like "500ms" or "2s", not a boolean (true)`},
		{"bad duration in [backoff]", "on_crash = true\n[backoff]\ninitial = \"1s\"\nmax = \"10\"\n", 4, "backoff.max", `"10" has no unit; write "10s" (or "10ms")`},
		{"bad duration in inline table", "clear = true\nbackoff = { max = \"1x\" }\n", 2, "backoff.max", "is not a duration"},
		{"bool as string", "on_crash = \"true\"\n", 1, "on_crash", `"true" is a string; write true without quotes`},
		{"bool of wrong type", "clear = \"yes\"\n", 1, "clear", `want true or false, not a string ("yes")`},
		{"int as string", "[backoff]\nmax_crashes = \"3\"\n", 2, "backoff.max_crashes", `"3" is a string; write 3 without quotes`},
		{"int of wrong type", "[backoff]\nmax_crashes = 1.5\n", 2, "backoff.max_crashes", "want a whole number like 3, not a number (1.5)"},
		{"string of wrong type", "signal = 15\n", 1, "signal", `15 is not a string; write "15"`},
		{"backoff not a table", "backoff = 5\n", 1, "backoff", "want a [backoff] table, not a number (5)"},
		{"env not a table", "env = \"A=1\"\n", 1, "env", "want a [env] table"},
		{"env value not a string", "[env]\nA = \"x\"\nPORT = 3000\n", 3, "env.PORT", `3000 is not a string; write "3000"`},
		{"exec_map value not a string", "[exec_map]\njs = [\"node\"]\n", 2, "exec_map.js", "want a string, not an array"},
		{"cmd of wrong type", "cmd = 5\n", 1, "cmd", `want a string like "npm run dev" or an array like ["node", "index.js"], not a number (5)`},
		{"cmd empty array", "build = \"make\"\ncmd = []\n", 2, "cmd", "the command is an empty array"},
		{"cmd empty string", "cmd = \"\"\n", 1, "cmd", "the command is empty"},
		{"cmd array of non-strings", "cmd = [\"node\", 1]\n", 1, "cmd", "element 2 is a number (1)"},
		{"ext of wrong type", "ext = 5\n", 1, "ext", `want an array like ["js", "json"] or a string like "js,json"`},
		{"watch of wrong type", "watch = 5\n", 1, "watch", "want an array of strings"},
		{"watch array of non-strings", "watch = [\n  \"src\",\n  true,\n]\n", 1, "watch", "element 2 is a boolean (true)"},
		{"unquoted duration", "on_crash = true\ndelay = 50ms\n", 2, "delay", `durations are strings; write "50ms"`},
		{"unquoted duration in table", "[backoff]\nmax = 10s # cap\n", 2, "backoff.max", `durations are strings; write "10s"`},
		{"unquoted word", "signal = SIGTERM\n", 1, "signal", `strings need quotes; write "SIGTERM"`},
		{"unclosed string", "build = \"make\nclear = true\n", 1, "build", "invalid TOML: "},
		{"unclosed table header", "clear = true\n[backoff\nmax = \"1s\"\n", 2, "backoff", "invalid TOML: expected '.' or ']'"},
		{"duplicate key", "clear = true\nclear = false\n", 2, "clear", "invalid TOML: Key 'clear' has already been defined."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := writeConfig(t, tt.text)
			base := Default()
			got, err := Load(path, base)
			if err == nil {
				t.Fatalf("no error for %q", tt.text)
			}
			ps := problems(t, err)
			if len(ps) != 1 {
				t.Fatalf("want one problem, got %d: %v", len(ps), err)
			}
			e := ps[0]
			if e.File != path || e.Line != tt.line || e.Key != tt.key || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("got file %q line %d key %q msg %q\nwant file %q line %d key %q msg containing %q",
					e.File, e.Line, e.Key, e.Msg, path, tt.line, tt.key, tt.msg)
			}
			if !reflect.DeepEqual(got, base) {
				t.Errorf("on error Load returned %+v, want base", got)
			}
		})
	}
}

func TestLoadErrorOneLineForm(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, "on_crash = true\n\n\n\n\n\ndelay = \"100\"\n")
	_, err := Load(path, Default())
	want := path + `:7: key "delay": "100" has no unit; write "100s" (or "100ms")`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestLoadReportsEveryKeyProblem(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, "dealy = \"1s\"\nclear = 1\n[backoff]\nfoo = 2\n[env]\nA = 1\n")
	_, err := Load(path, Default())
	ps := problems(t, err)
	var got []string
	for _, p := range ps {
		got = append(got, p.Key)
		if p.Line == 0 {
			t.Errorf("%v has no line", p)
		}
	}
	want := []string{"dealy", "clear", "backoff.foo", "env.A"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keys %q, want %q (in file order)", got, want)
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != len(want) {
		t.Errorf("Error() has %d lines, want one per problem:\n%s", n, err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "nope.toml")
	_, err := Load(path, Default())
	var ce *Error
	if !errors.As(err, &ce) || !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), path+": cannot read it") {
		t.Fatalf("got %v", err)
	}
}

func TestLoadValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		want       func(c *Config)
	}{
		{"empty file keeps every default", "# nothing\n", func(c *Config) {}},
		{"partial file keeps the other defaults", "on_crash = true\n[backoff]\nmax = \"1m\"\n", func(c *Config) {
			c.OnCrash = true
			c.Backoff.Max = Duration{time.Minute}
		}},
		{"cmd string runs through the shell", `cmd = "npm run dev"`, func(c *Config) { c.Cmd = Command{Shell: "npm run dev"} }},
		{"cmd array is an argv", `cmd = ["go", "run", "."]`, func(c *Config) { c.Cmd = Command{Argv: []string{"go", "run", "."}} }},
		{"ext array", `ext = ["js", ".JSON"]`, func(c *Config) { c.Ext = List{"js", "json"} }},
		{"ext comma string", `ext = "js, .json,,TS,"`, func(c *Config) { c.Ext = List{"js", "json", "ts"} }},
		{"ext empty means every file", `ext = []`, func(c *Config) { c.Ext = List{} }},
		{"watch as one plain string", `watch = "src"`, func(c *Config) { c.Watch = []string{"src"} }},
		{"watch array is not split on commas", `watch = ["a,b", "c"]`, func(c *Config) { c.Watch = []string{"a,b", "c"} }},
		{"ignore plain string", `ignore = "dist/**"`, func(c *Config) { c.Ignore = []string{"dist/**"} }},
		{"ignore empty array stays unset", `ignore = []`, func(c *Config) {}},
		{"dotted keys", "backoff.max_crashes = 3\nenv.PORT = \"80\"\n", func(c *Config) {
			c.Backoff.MaxCrashes = 3
			c.Env = map[string]string{"PORT": "80"}
		}},
		{"exec_map adds to the built-ins", "[exec_map]\nts = \"deno run\"\nexs = \"elixir\"\n", func(c *Config) {
			c.ExecMap["ts"] = "deno run"
			c.ExecMap["exs"] = "elixir"
		}},
		{"zero durations", "delay = \"0\"\npoll = \"0s\"\n", func(c *Config) { c.Delay = Duration{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Load(writeConfig(t, tt.text), Default())
			if err != nil {
				t.Fatal(err)
			}
			want := Default()
			tt.want(&want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestLoadLeavesBaseAlone(t *testing.T) {
	t.Parallel()
	base := Default()
	base.Watch = make([]string, 1, 4) // spare capacity the decoder could reuse
	base.Watch[0] = "."
	base.Env = map[string]string{"A": "1"}
	path := writeConfig(t, "watch = [\"src\", \"lib\"]\n[env]\nB = \"2\"\n[exec_map]\nts = \"deno run\"\n")
	got, err := Load(path, base)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Watch, []string{"src", "lib"}) || !reflect.DeepEqual(got.Env, map[string]string{"A": "1", "B": "2"}) {
		t.Errorf("got watch %q env %v", got.Watch, got.Env)
	}
	if base.Watch[:2][1] != "" || len(base.Env) != 1 || base.ExecMap["ts"] != "tsx" {
		t.Errorf("Load changed its base: watch %q env %v exec_map ts %q", base.Watch[:2], base.Env, base.ExecMap["ts"])
	}
}
