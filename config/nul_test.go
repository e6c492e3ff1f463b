package config

import (
	"strings"
	"testing"
)

// TestValidateRefusesNUL: a NUL byte in what becomes an argv, a path or the
// environment used to pass and fail later (126, 127 or 1); it is refused
// with file, line and key.
func TestValidateRefusesNUL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, text string
		line       int
		key        string
	}{
		{"cmd string", "clear = true\ncmd = \"node\\u0000 x.js\"\n", 2, "cmd"},
		{"cmd argv", "cmd = [\"node\", \"x\\u0000.js\"]\n", 1, "cmd"},
		{"build", "\nbuild = \"make\\u0000\"\n", 2, "build"},
		{"watch", "watch = [\".\", \"src\\u0000\"]\n", 1, "watch"},
		{"ignore", "ignore = \"dist\\u0000/**\"\n", 1, "ignore"},
		{"env value", "[env]\nA = \"1\"\nB = \"x\\u0000y\"\n", 3, "env.B"},
		{"env name", "[env]\n\"A\\u0000B\" = \"1\"\n", 1, `env."A\u0000B"`},
		{"interpreter", "[exec_map]\njs = \"node\\u0000\"\n", 2, "exec_map.js"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := writeConfig(t, tc.text)
			c, err := Load(path, Default())
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			errs := problems(t, c.Validate(path))
			if len(errs) != 1 {
				t.Fatalf("want one problem, got %d: %v", len(errs), errs)
			}
			e := errs[0]
			if e.File != path || e.Line != tc.line || e.Key != tc.key || !strings.Contains(e.Msg, "NUL byte") {
				t.Errorf("got %s:%d key %s: %s; want line %d, key %s, naming the NUL byte", e.File, e.Line, e.Key, e.Msg, tc.line, tc.key)
			}
		})
	}
}
