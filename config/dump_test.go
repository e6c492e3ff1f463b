package config

import (
	"reflect"
	"strings"
	"testing"
)

func TestFolderGlob(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"dist/":      "**/dist/**",
		"./dist/":    "**/dist/**",
		"src/gen/":   "src/gen/**",
		"/build/":    "build/**",
		"dist":       "dist",
		"dist/**":    "dist/**",
		"*.log":      "*.log",
		"./":         "./",
		"/":          "/",
		"vendor//":   "**/vendor/**",
		"a/{b,c}/":   "a/{b,c}/**",
		"**/cache/":  "**/cache/**",
		"tmp-*/":     "**/tmp-*/**",
		"  spaced/ ": "  spaced/ ", // no trailing slash: kept
	} {
		if got := folderGlob(in); got != want {
			t.Errorf("folderGlob(%q) = %q; want %q", in, got, want)
		}
	}
	c := Default()
	c.Ignore = []string{"sub/"}
	if err := c.Validate(""); err != nil || c.Ignore[0] != "**/sub/**" {
		t.Errorf("Validate: %v, ignore %q", err, c.Ignore)
	}
}

// TestDumpLoadsBack: --dump prints every key with where it came from, and
// the text loads back to the same settings.
func TestDumpLoadsBack(t *testing.T) {
	t.Parallel()
	c := Default()
	c.Cmd = Command{Argv: []string{"node", "--inspect", "index.js"}}
	c.Ext = List{"js", "json"}
	c.Env = map[string]string{"PORT": "3000", "A.B": "x"}
	c.Hooks = map[string]string{"crash": `notify-send "it crashed"`}
	c.Backoff.MaxCrashes = 3
	c.OnChangeOnly = true
	from := func(path ...string) string {
		switch strings.Join(path, ".") {
		case "delay":
			return "flag --delay"
		case "env.PORT", "backoff.max_crashes", "hooks.crash":
			return "/p/.reload.toml"
		}
		return "default"
	}
	text := Dump(c, from)
	for _, want := range []string{
		`cmd = ["node", "--inspect", "index.js"]  # default`,
		`delay = "50ms"  # flag --delay`,
		`on_change_only = true  # default`,
		"[backoff]\n",
		`max_crashes = 3  # /p/.reload.toml`,
		`PORT = "3000"  # /p/.reload.toml`,
		`"A.B" = "x"  # default`,
		"[hooks]\n" + `crash = "notify-send \"it crashed\""  # /p/.reload.toml`,
		`js = "node"  # default`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("dump lacks %q:\n%s", want, text)
		}
	}
	for _, k := range Keys {
		if k.kind() != kindTable && !strings.Contains(k.Name, ".") && !strings.Contains(text, "\n"+k.Name+" = ") && !strings.HasPrefix(text, k.Name+" = ") && !strings.Contains(text, "["+k.Name+"]") {
			t.Errorf("dump lacks key %s", k.Name)
		}
	}
	path := writeConfig(t, text)
	got, err := Load(path, Config{})
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if err := got.Validate(path); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("dump loads to\n%+v\nwant\n%+v", got, c)
	}
	has, err := FileKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	if !has("backoff", "max") || !has("env", "A.B") || has("env", "NOPE") {
		t.Errorf("FileKeys: backoff.max %v, env.A.B %v, env.NOPE %v", has("backoff", "max"), has("env", "A.B"), has("env", "NOPE"))
	}
}

func TestDumpUnsetCommand(t *testing.T) {
	t.Parallel()
	text := Dump(Default(), func(...string) string { return "default" })
	if !strings.Contains(text, "# cmd is unset  # default\n") || !strings.Contains(text, "# ext is unset") {
		t.Errorf("unset cmd and ext are not comments:\n%s", text)
	}
}
