package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestValidateFileProblemsNameLineAndKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		line       int
		key, msg   string
	}{
		{"bad signal", "clear = true\n\n\nsignal = \"SIGFOO\"\n", 4, "signal", `"SIGFOO" is not a signal; use a name like "SIGTERM" or "SIGINT"`},
		{"pausing signal", "signal = \"SIGSTOP\"\n", 1, "signal", "SIGSTOP pauses the app instead of ending it, so a stop could never complete gracefully; use SIGTERM or SIGINT"},
		{"resuming signal", "signal = \"cont\"\n", 1, "signal", "SIGCONT only resumes a paused app and never ends it"},
		{"terminal stop signal", "signal = \"SIGTSTP\"\n", 1, "signal", "SIGTSTP pauses the app"},
		{"bad glob", "ignore = [\n  \"dist/**\",\n  \"a/[b\",\n]\n", 1, "ignore", `"a/[b" is not a valid glob`},
		{"bad brace glob", "ignore = \"src/{a,b\"\n", 1, "ignore", "is not a valid glob"},
		{"empty glob", "ignore = [\"\"]\n", 1, "ignore", "entry 1 is empty"},
		{"negative delay", "delay = \"-1s\"\n", 1, "delay", `-1s is negative; use "0s" or more`},
		{"negative stop_timeout", "stop_timeout = \"-5s\"\n", 1, "stop_timeout", "is negative"},
		{"negative poll", "poll = \"-1ms\"\n", 1, "poll", "is negative"},
		{"zero backoff.initial", "[backoff]\ninitial = \"0s\"\n", 2, "backoff.initial", `0s is not more than 0; write a duration like "100ms"`},
		{"backoff.max below initial", "[backoff]\ninitial = \"2s\"\nmax = \"1s\"\n", 3, "backoff.max", "1s is less than backoff.initial (2s)"},
		{"negative reset_after", "backoff = { reset_after = \"-1s\" }\n", 1, "backoff.reset_after", "is negative"},
		{"negative max_crashes", "[backoff]\nmax_crashes = -1\n", 2, "backoff.max_crashes", "-1 is negative; use 0 for no limit"},
		{"empty watch", "watch = []\n", 1, "watch", `nothing to watch; list a folder like ["."], or set on_change = false`},
		{"blank watch entry", "watch = [\".\", \" \"]\n", 1, "watch", "entry 2 is empty"},
		{"bad log", "log = \"debug\"\n", 1, "log", `"debug" is not a log level; use "quiet", "info" or "verbose"`},
		{"empty ext entry", "ext = [\"js\", \"\"]\n", 1, "ext", "entry 2 is empty"},
		{"ext with a slash", "ext = \"js,src/app\"\n", 1, "ext", `"src/app" is not an extension`},
		{"env name with =", "[env]\n\"A=B\" = \"1\"\n", 2, `env."A=B"`, `"A=B" is not a variable name`},
		{"empty env name", "[env]\n\"\" = \"1\"\n", 2, `env.""`, "a variable name is empty"},
		{"empty interpreter", "[exec_map]\nrs = \"\"\n", 2, "exec_map.rs", `the interpreter for "rs" is empty`},
		{"exec_map key with a slash", "[exec_map]\n\"a/b\" = \"x\"\n", 2, `exec_map."a/b"`, `"a/b" is not an extension`},
		{"argv with an empty program", "cmd = [\"\", \"x\"]\n", 1, "cmd", "the program (first element) is empty"},
		{"listen without target", "[proxy]\nlisten = \"8080\"\n", 1, "proxy.target", "set target to the app's port"},
		{"target without listen", "[proxy]\ntarget = \"3000\"\n", 1, "proxy.listen", "nowhere to listen"},
		{"bad listen", "[proxy]\nlisten = \"80a\"\ntarget = \"3000\"\n", 2, "proxy.listen", `"80a" has no port from 1 to 65535`},
		{"URL target", "[proxy]\nlisten = \"8080\"\ntarget = \"http://localhost:3000\"\n", 3, "proxy.target", "is a URL"},
		{"target is the proxy", "[proxy]\nlisten = \"3000\"\ntarget = \"127.0.0.1:3000\"\n", 3, "proxy.target", "is where the proxy itself listens"},
		{"negative wait", "[proxy]\nwait = \"-1s\"\n", 2, "proxy.wait", "is negative"},
		{"on_change_only without on_change", "on_change = false\non_change_only = true\n", 2, "on_change_only", "watches for none"},
		{"exit_on_crash with on_crash", "on_crash = true\n\nexit_on_crash = true\n", 3, "exit_on_crash", "contradicts on_crash"},
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
			e := ps[0]
			if e.File != path || e.Line != tt.line || e.Key != tt.key || !strings.Contains(e.Msg, tt.msg) || e.Flag != "" {
				t.Errorf("got %q line %d key %q flag %q msg %q\nwant line %d key %q msg containing %q",
					e.File, e.Line, e.Key, e.Flag, e.Msg, tt.line, tt.key, tt.msg)
			}
		})
	}
}

func TestValidateOneLineForm(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, "# a\non_crash = true\n\nsignal = \"SIGFOO\"\n")
	c, err := Load(path, Default())
	if err != nil {
		t.Fatal(err)
	}
	err = c.Validate(path)
	want := path + `:4: key "signal": "SIGFOO" is not a signal; use a name like "SIGTERM" or "SIGINT"`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestValidateJoinsEveryProblem(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, "delay = \"-1s\"\nsignal = \"nope\"\nignore = [\"[\"]\nlog = \"loud\"\n")
	c, err := Load(path, Default())
	if err != nil {
		t.Fatal(err)
	}
	ps := problems(t, c.Validate(path))
	lines := map[string]int{}
	for _, p := range ps {
		lines[p.Key] = p.Line
	}
	want := map[string]int{"delay": 1, "signal": 2, "ignore": 3, "log": 4}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("problems at %v, want %v", lines, want)
	}
}

func TestValidateWithoutFileNamesFlags(t *testing.T) {
	t.Parallel()
	c := Default()
	c.Signal = "FOO"
	c.Delay = Duration{-time.Second}
	c.Backoff.Max = Duration{time.Millisecond}
	c.Env = map[string]string{"A=B": "1"}
	c.ExecMap[".x/y"] = "z"
	c.Cmd = Command{Shell: " "}
	got := map[string]string{}
	for _, p := range problems(t, c.Validate("")) {
		if p.File != "" || p.Line != 0 {
			t.Errorf("%v names a file", p)
		}
		got[p.Key] = p.Error()
	}
	want := map[string]string{
		"signal":          `--signal: "FOO" is not a signal`,
		"delay":           "--delay: -1s is negative",
		"backoff.max":     "--backoff-max: 1ms is less than",
		`env."A=B"`:       `--env: "A=B" is not a variable name`,
		`exec_map.".x/y"`: `key "exec_map.\".x/y\"": ".x/y" is not an extension`, // no flag sets it
		"cmd":             "--exec: the command is blank",
	}
	if len(got) != len(want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	for k, prefix := range want {
		if !strings.HasPrefix(got[k], prefix) {
			t.Errorf("%s: got %q, want it to start with %q", k, got[k], prefix)
		}
	}
}

func TestValidateNormalizes(t *testing.T) {
	t.Parallel()
	c := Default()
	c.Signal = " hup"
	c.Log = "Verbose"
	c.Ext = List{".JS", "json"}
	c.ExecMap[".TS"] = "deno run" // beats the built-in "ts"
	c.ExecMap[".exs"] = "elixir"
	if err := c.Validate(""); err != nil {
		t.Fatal(err)
	}
	wantMap := DefaultExecMap()
	wantMap["ts"] = "deno run"
	wantMap["exs"] = "elixir"
	if c.Signal != "SIGHUP" || c.Log != "verbose" || !reflect.DeepEqual(c.Ext, List{"js", "json"}) || !reflect.DeepEqual(c.ExecMap, wantMap) {
		t.Errorf("got signal %q log %q ext %q exec_map %v", c.Signal, c.Log, c.Ext, c.ExecMap)
	}
	d := Default()
	if err := d.Validate(""); err != nil || !reflect.DeepEqual(d, Default()) {
		t.Errorf("Default() does not validate unchanged: %v", err)
	}
}

func TestNormalizeSignal(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"term", "TERM", "SIGTERM", "sigterm", " SigTerm "} {
		if got, err := NormalizeSignal(in); got != "SIGTERM" || err != nil {
			t.Errorf("NormalizeSignal(%q) = %q, %v", in, got, err)
		}
	}
	if got, err := NormalizeSignal("winch"); got != "SIGWINCH" || err != nil {
		t.Errorf("winch: %q, %v", got, err)
	}
	if got, err := NormalizeSignal("kill"); got != "SIGKILL" || err != nil {
		t.Errorf("kill: %q, %v; SIGKILL is a stop signal without a grace period", got, err)
	}
	for _, in := range []string{"", "SIG", "15", "SIGFOO", "TERMX", "SIGSTOP", "SIGCONT", "tstp", "SIGTTIN", "SIGTTOU"} {
		if got, err := NormalizeSignal(in); err == nil {
			t.Errorf("NormalizeSignal(%q) = %q, want an error", in, got)
		}
	}
}
