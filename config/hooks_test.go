package config

import (
	"maps"
	"strings"
	"testing"
)

// TestHooksLoad: every hook name loads; an empty command is allowed (it
// turns off a hook the file set, from --hook NAME=).
func TestHooksLoad(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, `[hooks]
start = "echo start"
restart = "echo restart"
crash = "notify-send 'app crashed'"
exit = ""
build_failed = "echo $RELOAD_EVENT"
`)
	c, err := Load(path, Default())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(path); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"start": "echo start", "restart": "echo restart", "crash": "notify-send 'app crashed'",
		"exit": "", "build_failed": "echo $RELOAD_EVENT"}
	if !maps.Equal(c.Hooks, want) {
		t.Errorf("hooks = %q", c.Hooks)
	}
}

// TestHooksProblems: an unknown hook name, a value that is not a string
// and a NUL byte each name the file, line and key; an unknown name lists
// the hooks there are.
func TestHooksProblems(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, text string
		line       int
		key, msg   string
	}{
		{"unknown name", "[hooks]\nstart = \"true\"\nquit = \"true\"\n", 3, "hooks.quit",
			`"quit" is not a hook; the hooks are start, restart, crash, exit and build_failed`},
		{"a top-level key after the table", "[hooks]\ncrash = \"true\"\nsignal = \"SIGINT\"\n", 3, "hooks.signal",
			`("signal" is a top-level key: move it above the [hooks] table)`},
		{"not a string", "[hooks]\ncrash = 3\n", 2, "hooks.crash", `3 is not a string; write "3"`},
		{"not a table", "hooks = \"echo\"\n", 1, "hooks", "want a [hooks] table"},
		{"NUL", "[hooks]\nexit = \"echo\\u0000\"\n", 2, "hooks.exit", "the command holds a NUL byte"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := writeConfig(t, tc.text)
			c, err := Load(path, Default())
			if err == nil {
				err = c.Validate(path)
			}
			ps := problems(t, err)
			if len(ps) != 1 {
				t.Fatalf("want one problem, got %d: %v", len(ps), ps)
			}
			e := ps[0]
			if e.File != path || e.Line != tc.line || e.Key != tc.key || !strings.Contains(e.Msg, tc.msg) {
				t.Errorf("got %s:%d key %s: %s\nwant line %d, key %s, containing %s", e.File, e.Line, e.Key, e.Msg, tc.line, tc.key, tc.msg)
			}
		})
	}
}

// TestHooksFlagProblem: a name from --hook is refused naming the flag.
func TestHooksFlagProblem(t *testing.T) {
	t.Parallel()
	c := Default()
	c.Hooks = map[string]string{"crashed": "true"}
	ps := problems(t, c.Validate(""))
	if len(ps) != 1 || ps[0].Flag != "--hook" || !strings.Contains(ps[0].Error(), `--hook: "crashed" is not a hook; the hooks are start,`) {
		t.Errorf("got %v", ps)
	}
}
