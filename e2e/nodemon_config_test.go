//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// nodemonSettings watch lib for .sh and .txt files, except in lib/skip.
const nodemonSettings = `{"watch":["lib"],"ext":"sh txt","ignore":["lib/skip/"],"delay":100}`

// TestNodemonConfig: with no .reload.toml, nodemon's settings are read
// from nodemon.json, from package.json's nodemonConfig, or from the .json
// file --config names; a sentinel proves that neither lib/skip nor a file
// outside lib restarted the app.
func TestNodemonConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, file, content string
		args                []string
	}{
		{"nodemon.json", "nodemon.json", nodemonSettings, nil},
		{"package.json", "package.json", `{"name": "app", "nodemonConfig": ` + nodemonSettings + `}`, nil},
		{"--config", "other.json", nodemonSettings, []string{"--config", "other.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := newProject(t)
			writeFile(t, dir, tc.file, tc.content)
			writeFile(t, dir, "lib/skip/keep.txt", "")
			p := startReload(t, dir, append(append([]string{"-v"}, tc.args...), "app.sh")...)
			waitFor(t, p.errs, tc.file+" (nodemon's format)")
			p.ready()
			writeFile(t, dir, "lib/skip/b.txt", "x")
			writeFile(t, dir, "outside.txt", "x")
			writeFile(t, dir, "lib/c.txt", "x") // the sentinel
			if got := p.ready(); got["restarts"] != "1" || got["changed"] != "lib/c.txt" {
				t.Fatalf("want restart 1 for lib/c.txt alone, got %v", got)
			}
			writeFile(t, dir, "lib/a.txt", "x")
			if got := p.ready(); got["restarts"] != "2" || got["changed"] != "lib/a.txt" {
				t.Fatalf("want restart 2 for lib/a.txt, got %v", got)
			}
		})
	}
}

// TestNodemonConfigUnknownKey: a key nodemon does not know gets one
// warning line naming it, and the app runs.
func TestNodemonConfigUnknownKey(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	writeFile(t, dir, "nodemon.json", "{\n  \"exec\": \"sh app.sh\",\n  \"flavour\": \"mint\"\n}\n")
	p := startReload(t, dir)
	warning := waitFor(t, p.errs, `"flavour"`)
	if !strings.Contains(warning, "nodemon.json:3: \"flavour\" is not a nodemon setting") {
		t.Errorf("the warning does not name the file, line and key: %q", warning)
	}
	p.ready()
	for _, l := range drain(p.errs) {
		if strings.Contains(l, "flavour") {
			t.Errorf("a second line about the key: %q", l)
		}
	}
}

// TestNodemonConfigErrors: bad JSON is a one-line error naming the file
// and line, exit 2; nothing starts.
func TestNodemonConfigErrors(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	writeFile(t, dir, "nodemon.json", "{\n  \"watch\": [\"lib\"],\n}\n")
	st, stderr := runReload(t, dir, "app.sh")
	oneLineError(t, st, stderr, "nodemon.json:3: invalid JSON")
	writeFile(t, dir, "nodemon.json", "{\n  \"delay\": true\n}\n")
	st, stderr = runReload(t, dir, "app.sh")
	oneLineError(t, st, stderr, `nodemon.json:2: key "delay": want milliseconds`)
}

// TestNodemonConfigStartHook: nodemon's events.start runs as the start hook.
func TestNodemonConfigStartHook(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	writeFile(t, dir, "nodemon.json", `{"exec": "sh app.sh", "events": {"start": "echo hooked > started.txt"}}`)
	p := startReload(t, dir)
	p.ready()
	waitForFile(t, filepath.Join(dir, "started.txt"))
}

// waitForFile waits until path exists.
func waitForFile(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear within %v", path, within)
		}
		time.Sleep(10 * time.Millisecond) // polling a condition with a deadline, not a fixed wait
	}
}

// TestNodemonConfigOwner: a nodemon.json or package.json that another
// user planted in a folder above is refused, as a .reload.toml is.
func TestNodemonConfigOwner(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("giving files to another user needs root")
	}
	for _, tc := range []struct{ file, content string }{
		{"nodemon.json", `{"exec": "sh app.sh"}`},
		{"package.json", `{"nodemonConfig": {"exec": "sh app.sh"}}`},
	} {
		planted := t.TempDir()
		cfg := writeFile(t, planted, tc.file, tc.content)
		if err := os.Chown(cfg, 12345, 12345); err != nil {
			t.Fatal(err)
		}
		mine := filepath.Join(planted, "mine")
		writeFile(t, mine, "app.sh", readyApp)
		st, stderr := runReload(t, mine, "app.sh")
		oneLineError(t, st, stderr, cfg+": belongs to uid 12345")
	}
}

// TestInitFromNodemon: reload init --from nodemon writes a .reload.toml
// that keeps the template's comments, notes what changed meaning, and
// gives the same settings as the nodemon.json it came from (--dump of
// each, without the where-from comments). It refuses to overwrite.
func TestInitFromNodemon(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	writeFile(t, dir, "lib/keep.sh", "")
	writeFile(t, dir, "nodemon.json", `{"exec": "sh app.sh", "watch": ["lib"], "ext": "sh txt", "ignore": ["lib/skip/"],
		"delay": 2500, "env": {"PORT": 3000}, "events": {"restart": "echo again", "config:update": "x"},
		"legacyWatch": true, "verbose": true, "dump": true}`)
	before, err := runOutput(dir, "--dump")
	if err != nil {
		t.Fatalf("--dump with nodemon.json: %v", err)
	}
	st, stderr := runReload(t, dir, "init", "--from", "nodemon")
	if st != 0 || !strings.Contains(stderr, `"dump" has no effect`) {
		t.Fatalf("init --from nodemon: exit %d, want 0 and the keys left behind named:\n%s", st, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, ".reload.toml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, want := range []string{
		`delay = "2.5s"  # nodemon.json "delay": 2500 (milliseconds there; a unit here)`,
		`#   "dump": true: has no effect from a config file; run reload --dump`,
		"# Quiet period after the last change before restarting", // the template's help
		"[hooks]  # nodemon.json \"events.restart\"",
	} {
		if !strings.Contains(text, want) {
			t.Errorf(".reload.toml lacks %q:\n%s", want, text)
		}
	}
	after, err := runOutput(dir, "--dump") // .reload.toml now comes first
	if err != nil {
		t.Fatalf("--dump with the .reload.toml: %v", err)
	}
	from := regexp.MustCompile(`(?m)  # .*$`)
	if a, b := from.ReplaceAllString(before, ""), from.ReplaceAllString(after, ""); a != b {
		t.Errorf("the .reload.toml gives other settings than nodemon.json:\n%s\nwant\n%s", b, a)
	}
	if !strings.Contains(after, ".reload.toml") {
		t.Errorf("--dump did not read the .reload.toml:\n%s", after)
	}
	st, stderr = runReload(t, dir, "init", "--from", "nodemon")
	if st != 2 || !strings.Contains(stderr, "--force") {
		t.Fatalf("a second init --from nodemon must refuse (exit 2, naming --force), got %d: %s", st, stderr)
	}
	if st, stderr := runReload(t, t.TempDir(), "init", "--from", "nodemon"); st != 2 || !strings.Contains(stderr, "no nodemon.json") {
		t.Fatalf("init --from nodemon with no nodemon settings: want exit 2 saying so, got %d: %s", st, stderr)
	}
}
