package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// writeNodemon writes text as name (nodemon.json, package.json, …) in a
// new folder and returns its path.
func writeNodemon(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLoadNodemon: every nodemon key with a meaning here sets its reload
// key; the others get one note each, printed without -v (warn) when they
// do nothing here.
func TestLoadNodemon(t *testing.T) {
	t.Parallel()
	ms := func(n int) Duration { return Duration{time.Duration(n) * time.Millisecond} }
	for _, tc := range []struct {
		name    string
		json    string
		want    func(c *Config)
		warns   []string // each a substring of one warning, in order; no other warnings
		notes   []string // substrings of -v notes
		noColor bool
	}{
		{name: "empty", json: `{}`, want: func(*Config) {}},
		{name: "watch string", json: `{"watch": "lib"}`, want: func(c *Config) { c.Watch = []string{"lib"} }},
		{name: "watch array with a glob", json: `{"watch": ["lib", "src/**/*.ts", "*.*", "lib"]}`,
			want:  func(c *Config) { c.Watch = []string{"lib", "src", "."} },
			warns: []string{`"watch": ["lib","src/**/*.ts","*.*","lib"] is watch = ["lib", "src", "."] here (reload watches folders: "src/**/*.ts" is the folder src`}},
		{name: "watch false", json: `{"watch": false}`, want: func(c *Config) { c.OnChange = false }},
		{name: "watch empty", json: `{"watch": []}`, want: func(c *Config) { c.Watch = []string{"."} }},
		{name: "ignore, dir/ is a folder", json: `{"ignore": ["lib/skip/", "*.test.js", "dist/"]}`,
			want: func(c *Config) { c.Ignore = []string{"lib/skip/**", "*.test.js", "**/dist/**"} }},
		{name: "ignore string", json: `{"ignore": "tmp/"}`, want: func(c *Config) { c.Ignore = []string{"**/tmp/**"} }},
		{name: "ignoreRoot adds", json: `{"ignore": ["a"], "ignoreRoot": [".git", "x/"]}`,
			want:  func(c *Config) { c.Ignore = []string{"a", ".git", "**/x/**"} },
			notes: []string{`"ignoreRoot": [".git","x/"] is ignore = ["a", ".git", "**/x/**"] here (nodemon's built-in ignores give way to these there; here they are added to ignore, and the built-in ignores stay)`}},
		{name: "ext commas", json: `{"ext": "js,json"}`, want: func(c *Config) { c.Ext = List{"js", "json"} }},
		{name: "ext spaces, dots and stars", json: `{"ext": "sh txt .PDE *.md"}`, want: func(c *Config) { c.Ext = List{"sh", "txt", "pde", "md"} }},
		{name: "ext array", json: `{"ext": ["js", ".ts"]}`, want: func(c *Config) { c.Ext = List{"js", "ts"} }},
		{name: "ext empty: every file", json: `{"ext": ""}`, want: func(c *Config) { c.Ext = List{} }},
		{name: "exec string", json: `{"exec": "npm run dev"}`, want: func(c *Config) { c.Cmd = Command{Shell: "npm run dev"} }},
		{name: "exec array", json: `{"exec": ["ts-node", "--files"]}`, want: func(c *Config) { c.Cmd = Command{Argv: []string{"ts-node", "--files"}} }},
		{name: "exec with script and args", json: `{"exec": "ts-node", "script": "src/app.ts", "args": ["--port", "3 000"]}`,
			want: func(c *Config) { c.Cmd = Command{Shell: "ts-node src/app.ts --port '3 000'"} }},
		{name: "exec {{filename}} and {{pwd}}", json: `{"exec": "cat {{filename}} > /dev/null; echo {{pwd}}", "script": "a b.js"}`,
			want: func(c *Config) { c.Cmd = Command{Shell: "cat 'a b.js' > /dev/null; echo DIR"} }},
		{name: "execMap", json: `{"execMap": {"ts": "ts-node", "py": "python -u", ".pde": "processing --sketch={{pwd}} --run"}}`,
			want: func(c *Config) {
				c.ExecMap["ts"], c.ExecMap["py"], c.ExecMap["pde"] = "ts-node", "python -u", "processing --sketch=DIR --run"
			}},
		{name: "script and args: the exec map picks the interpreter when it runs", json: `{"script": "app.py", "args": ["-v"]}`,
			want: func(c *Config) { c.Cmd = Command{Argv: []string{"app.py", "-v"}} }},
		{name: "script of no known type runs under node", json: `{"script": "bin/www"}`,
			want:  func(c *Config) { c.Cmd = Command{Argv: []string{"node", "bin/www"}} },
			notes: []string{`"script": "bin/www" is cmd = ["node", "bin/www"] here (nodemon runs a script whose extension it has no interpreter for with node)`}},
		{name: "nodeArgs before the script", json: `{"script": "index.js", "nodeArgs": ["--inspect"], "args": ["x"]}`,
			want: func(c *Config) { c.Cmd = Command{Argv: []string{"node", "--inspect", "index.js", "x"}} }},
		{name: "nodeArgs after exec node", json: `{"exec": "node", "nodeArgs": ["--inspect=9230"]}`,
			want: func(c *Config) { c.Cmd = Command{Shell: "node --inspect=9230"} }},
		{name: "nodeArgs for python", json: `{"script": "app.py", "nodeArgs": ["--inspect"]}`,
			want:  func(c *Config) { c.Cmd = Command{Argv: []string{"app.py"}} },
			warns: []string{`"nodeArgs" has no effect: only node takes them`}},
		{name: "nodeArgs alone", json: `{"nodeArgs": ["--inspect"]}`, want: func(*Config) {},
			warns: []string{`"nodeArgs" applies only with "script" here; write node's flags before the script on the command line: reload --inspect index.js`}},
		{name: "delay milliseconds", json: `{"delay": 2500}`, want: func(c *Config) { c.Delay = ms(2500) },
			notes: []string{`"delay": 2500 is delay = "2.5s" here (milliseconds there; a unit here)`}},
		{name: "delay string of milliseconds", json: `{"delay": "100"}`, want: func(c *Config) { c.Delay = ms(100) }},
		{name: "delay with a unit", json: `{"delay": "2.5s"}`, want: func(c *Config) { c.Delay = ms(2500) }},
		{name: "delay zero", json: `{"delay": 0}`, want: func(c *Config) { c.Delay = Duration{} }},
		{name: "delay of a few milliseconds", json: `{"delay": 2.5}`, want: func(c *Config) { c.Delay = Duration{2500 * time.Microsecond} },
			warns: []string{`"delay": 2.5 is delay = "2.5ms" here (milliseconds, as nodemon reads its file; for 2.5 seconds write 2500)`}},
		{name: "env", json: `{"env": {"PORT": 3000, "DEBUG": true, "NAME": "x"}}`,
			want: func(c *Config) { c.Env = map[string]string{"PORT": "3000", "DEBUG": "true", "NAME": "x"} }},
		{name: "signal", json: `{"signal": "usr2"}`, want: func(c *Config) { c.Signal = "SIGUSR2" }},
		{name: "restartable", json: `{"restartable": "again"}`, want: func(c *Config) { c.Restartable = "again" }},
		{name: "restartable false", json: `{"restartable": false}`, want: func(c *Config) { c.Restartable = "" }},
		{name: "stdin false", json: `{"stdin": false, "restartable": "rs"}`, want: func(c *Config) { c.Restartable = "" }},
		{name: "stdin true", json: `{"stdin": true}`, want: func(*Config) {}},
		{name: "verbose", json: `{"verbose": true}`, want: func(c *Config) { c.Log = LogVerbose }},
		{name: "quiet", json: `{"quiet": true, "verbose": false}`, want: func(c *Config) { c.Log = LogQuiet }},
		{name: "verbose and quiet", json: `{"quiet": true, "verbose": true}`, want: func(c *Config) { c.Log = LogVerbose },
			warns: []string{`"quiet" gives way to "verbose": true here`}},
		{name: "legacyWatch", json: `{"legacyWatch": true}`, want: func(c *Config) { c.Poll = ms(500) }},
		{name: "legacyWatch with pollingInterval", json: `{"legacyWatch": true, "pollingInterval": 250}`, want: func(c *Config) { c.Poll = ms(250) }},
		{name: "pollingInterval alone", json: `{"pollingInterval": 250}`, want: func(*Config) {},
			warns: []string{`"pollingInterval" has no effect without "legacyWatch": true`}},
		{name: "runOnChangeOnly", json: `{"runOnChangeOnly": true}`, want: func(c *Config) { c.OnChangeOnly = true }},
		{name: "exitcrash", json: `{"exitcrash": true}`, want: func(c *Config) { c.ExitOnCrash = true }},
		{name: "exitCrash", json: `{"exitCrash": true}`, want: func(c *Config) { c.ExitOnCrash = true }},
		{name: "events", json: `{"events": {"start": "echo up", "restart": ["echo", "again"], "crash": "x", "exit": "y", "config:update": "z", "quit": "q"}}`,
			want: func(c *Config) {
				c.Hooks = map[string]string{"start": "echo up", "restart": "echo again", "crash": "x", "exit": "y"}
			},
			warns: []string{`"events.config:update" has no meaning here`, `"events.quit" has no equivalent; reload's hooks are start, restart, crash, exit and build_failed`}},
		{name: "colours false", json: `{"colours": false}`, want: func(*Config) {}, noColor: true},
		{name: "colors false", json: `{"colors": false}`, want: func(*Config) {}, noColor: true},
		{name: "colours true", json: `{"colours": true}`, want: func(*Config) {}},
		{name: "spawn and noUpdateNotifier: -v only", json: `{"spawn": true, "noUpdateNotifier": true}`, want: func(*Config) {},
			notes: []string{`"spawn" has no effect`, `"noUpdateNotifier" has no effect`}},
		{name: "keys with no meaning here", json: `{"cwd": "sub", "dump": true, "stdout": false, "watchOptions": {}}`, want: func(*Config) {},
			warns: []string{`"cwd" has no effect from a config file`, `"dump" has no effect from a config file; run reload --dump`, `"stdout" has no meaning here`, `"watchOptions" (chokidar's options)`}},
		{name: "unknown keys", json: `{"ingore": ["x"], "flavour": 1}`, want: func(*Config) {},
			warns: []string{`"ingore" is not a nodemon setting, so it is ignored (nodemon ignores it too); did you mean "ignore"?`, `"flavour" is not a nodemon setting`}},
		{name: "null is unset", json: `{"delay": null, "watch": null}`, want: func(*Config) {}},
		{name: "a key twice: the last wins", json: `{"delay": 1, "delay": 200}`, want: func(c *Config) { c.Delay = ms(200) }},
		{name: "byte order mark", json: "\uFEFF{\"delay\": 300}", want: func(c *Config) { c.Delay = ms(300) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := writeNodemon(t, NodemonFile, tc.json)
			n, err := LoadNodemon(path, Default())
			if err != nil {
				t.Fatal(err)
			}
			want := Default()
			tc.want(&want)
			dir := filepath.Dir(path)
			if want.Cmd.Shell != "" {
				want.Cmd.Shell = strings.ReplaceAll(want.Cmd.Shell, "DIR", shellQuote(dir))
			}
			for k, v := range want.ExecMap {
				want.ExecMap[k] = strings.ReplaceAll(v, "DIR", dir)
			}
			if !reflect.DeepEqual(n.Config, want) {
				t.Errorf("Config\n%+v\nwant\n%+v", n.Config, want)
			}
			var warns, notes []string
			for _, note := range n.Notes {
				if note.Warn {
					warns = append(warns, note.String())
				} else {
					notes = append(notes, note.String())
				}
			}
			if len(warns) != len(tc.warns) {
				t.Fatalf("warnings %q; want %q", warns, tc.warns)
			}
			for i, w := range tc.warns {
				if !strings.HasPrefix(warns[i], path+":") || !strings.Contains(warns[i], w) {
					t.Errorf("warning %q; want one naming the file and holding %q", warns[i], w)
				}
			}
			for _, w := range tc.notes {
				if !strings.Contains(strings.Join(notes, "\n"), w) {
					t.Errorf("notes %q lack %q", notes, w)
				}
			}
			if n.NoColor != tc.noColor {
				t.Errorf("NoColor %v; want %v", n.NoColor, tc.noColor)
			}
		})
	}
}

// TestLoadNodemonErrors: bad JSON and wrong types name the file, the line
// and nodemon's key; every problem is reported at once.
func TestLoadNodemonErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, file, json string
		want             []string // one per problem, each "line: text" after the file
	}{
		{"missing comma", NodemonFile, "{\n  \"watch\": [\"lib\"]\n  \"ext\": \"js\"\n}", []string{`:3: invalid JSON: invalid character '"' after object key:value pair`}},
		{"trailing comma", NodemonFile, "{\n  \"watch\": [\"lib\"],\n}", []string{`:3: invalid JSON: invalid character '}' looking for beginning of object key string; remove the comma before it`}},
		{"a comment", NodemonFile, "{\n  // watch lib\n  \"watch\": [\"lib\"]\n}", []string{`:2: invalid JSON: invalid character '/' looking for beginning of object key string; JSON has no comments, remove it`}},
		{"cut short", NodemonFile, "{\n  \"watch\": [\"lib\"]\n", []string{`:2: invalid JSON: unexpected end of JSON input`}},
		{"not an object", NodemonFile, `["lib"]`, []string{`:1: want an object of settings like {"watch": ["src"]}`}},
		{"wrong types", NodemonFile, "{\n  \"watch\": [\"lib\", 3],\n  \"delay\": true,\n  \"env\": {\n    \"PORT\": {}\n  },\n  \"verbose\": \"yes\",\n  \"restartable\": true\n}", []string{
			`:2: key "watch": element 2 is a number (3); write an array of strings like ["src", "lib"]`,
			`:3: key "delay": want milliseconds like 2500 (nodemon's unit in its file), not true`,
			`:5: key "env.PORT": want a string, not an object`,
			`:7: key "verbose": want true or false, not a string ("yes")`,
			`:8: key "restartable": want a string like "rs", or false, not true`,
		}},
		{"bad values, checked as a .reload.toml's", NodemonFile, "{\n  \"signal\": \"SIGFOO\",\n  \"ignore\": [\"a[\"],\n  \"execMap\": {\"x\": \"\"}\n}", []string{
			`:2: key "signal": `,
			`:3: key "ignore": "a[" is not a valid glob`,
			`:4: key "execMap.x": the interpreter for "x" is empty`,
		}},
		{"{{filename}} without a script", NodemonFile, "{\n\"exec\": \"node {{filename}}\"\n}", []string{`:2: key "exec": uses {{filename}}, which stands for the script, but no "script" is set here`}},
		{"package.json: nested lines", packageJSON, "{\n  \"name\": \"app\",\n  \"nodemonConfig\": {\n    \"watch\": [\"lib\"],\n    \"delay\": \"soon\"\n  }\n}", []string{
			`:5: key "nodemonConfig.delay": want milliseconds like 2500 (nodemon's unit in its file), not a string ("soon")`,
		}},
		{"package.json: not an object", packageJSON, "{\n  \"nodemonConfig\": 3\n}", []string{`: key "nodemonConfig": want an object of settings`}},
		{"package.json: none", packageJSON, `{"name": "app"}`, []string{`: has no "nodemonConfig"; nodemon's settings go there, or in nodemon.json`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := writeNodemon(t, tc.file, tc.json)
			n, err := LoadNodemon(path, Default())
			if err == nil {
				t.Fatalf("no error; want %q", tc.want)
			}
			if !reflect.DeepEqual(n.Config, Default()) {
				t.Errorf("on error the Config is not the base: %+v", n.Config)
			}
			got := problems(t, err)
			if len(got) != len(tc.want) {
				t.Fatalf("%d problems:\n%v\nwant %d: %q", len(got), err, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if msg := got[i].Error(); !strings.HasPrefix(msg, path+w) {
					t.Errorf("problem %d:\n%s\nwant it to start with\n%s", i+1, msg, path+w)
				}
			}
		})
	}
}

// TestLoadNodemonPackageJSON: package.json's nodemonConfig is read, its
// keys named and placed as they are written there.
func TestLoadNodemonPackageJSON(t *testing.T) {
	t.Parallel()
	path := writeNodemon(t, packageJSON, "{\n  \"name\": \"app\",\n  \"nodemonConfig\": {\n    \"watch\": [\"lib\"],\n    \"dump\": true\n  },\n  \"main\": \"index.js\"\n}\n")
	n, err := LoadNodemon(path, Default())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(n.Config.Watch, []string{"lib"}) {
		t.Errorf("watch %q", n.Config.Watch)
	}
	if len(n.Notes) != 2 || n.Notes[1].String() != path+`:5: "nodemonConfig.dump" has no effect from a config file; run reload --dump` {
		t.Errorf("notes %q", n.Notes)
	}
	if !n.IsSet("watch") || n.IsSet("delay") {
		t.Errorf("IsSet: watch %v, delay %v", n.IsSet("watch"), n.IsSet("delay"))
	}
}

// TestNodemonInitRoundTrip: the .reload.toml init --from nodemon writes
// loads back to the same Config, keeps the template's help, and says where
// each value came from and what was not carried over.
func TestNodemonInitRoundTrip(t *testing.T) {
	t.Parallel()
	path := writeNodemon(t, NodemonFile, `{
  "watch": ["lib"], "ext": "sh txt", "ignore": ["lib/skip/"], "delay": 2500,
  "exec": "sh app.sh", "execMap": {"py": "python -u"}, "env": {"PORT": 3000, "A.B": "x"},
  "signal": "SIGINT", "restartable": "again", "verbose": true, "legacyWatch": true, "pollingInterval": 250,
  "runOnChangeOnly": true, "events": {"start": "echo up", "config:update": "x"}, "ignoreRoot": [".cache"],
  "dump": true, "colours": false
}`)
	n, err := LoadNodemon(path, Default())
	if err != nil {
		t.Fatal(err)
	}
	text := n.TOML()
	back := writeConfig(t, text)
	got, err := Load(back, Default())
	if err == nil {
		err = got.Validate(back)
	}
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if !reflect.DeepEqual(got, n.Config) {
		t.Errorf("loads back to\n%+v\nwant\n%+v\n%s", got, n.Config, text)
	}
	for _, want := range []string{
		"# Written by reload init --from nodemon, from nodemon.json.\n",
		`#   "dump": true: has no effect from a config file; run reload --dump` + "\n",
		`#   "events.config:update": "x": has no meaning here`,
		`#   "colours": false: has no key in .reload.toml`,
		`delay = "2.5s"  # nodemon.json "delay": 2500 (milliseconds there; a unit here)` + "\n",
		`poll = "250ms"  # nodemon.json "legacyWatch": true (nodemon polls there; here poll is the interval); "pollingInterval": 250 (milliseconds there; a unit here)` + "\n",
		`ignore = ["lib/skip/**", ".cache"]  # nodemon.json "ignore": ["lib/skip/"]; "ignoreRoot": [".cache"] (nodemon's built-in ignores give way`,
		`cmd = "sh app.sh"  # nodemon.json "exec": "sh app.sh"` + "\n",
		"[hooks]  # nodemon.json \"events.start\": \"echo up\"\nstart = \"echo up\"\n",
		"[env]  # nodemon.json \"env\": {\"PORT\":3000,\"A.B\":\"x\"}\n\"A.B\" = \"x\"\nPORT = \"3000\"\n",
		"py = \"python -u\"\n",
		"stop_timeout = \"5s\"\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the .reload.toml lacks %q:\n%s", want, text)
		}
	}
	for _, k := range Keys { // the template's help stays
		var help strings.Builder
		comment(&help, k.Help)
		if first, _, _ := strings.Cut(help.String(), "\n"); !strings.Contains(text, "\n"+first) {
			t.Errorf("the help of %s is gone", k.Name)
		}
	}
}

// TestWriteInitFrom refuses to overwrite without force, as WriteInit does.
func TestWriteInitFrom(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	n, err := LoadNodemon(writeNodemon(t, NodemonFile, `{"delay": 100}`), Default())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteInitFrom(dir, false, n); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteInitFrom(dir, false, n); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("second write: %v; want ErrExists naming --force", err)
	}
	if _, err := WriteInitFrom(dir, true, n); err != nil {
		t.Error(err)
	}
}

func TestIsNodemon(t *testing.T) {
	t.Parallel()
	for p, want := range map[string]bool{"nodemon.json": true, "x/other.JSON": true, "package.json": true, ".reload.toml": false, "cfg": false} {
		if IsNodemon(p) != want {
			t.Errorf("IsNodemon(%q) = %v", p, !want)
		}
	}
}
