package warm

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/reload-dev/reload/internal/command"
)

func TestMessage(t *testing.T) {
	for _, tc := range []struct {
		name          string
		started, want []string
		set           map[string]string
		unset         []string
	}{
		{"same", []string{"A=1", "B=2"}, []string{"B=2", "A=1"}, map[string]string{}, []string{}},
		{"the start's variables", []string{"PATH=/bin", "RELOAD_RESTARTS=1", "RELOAD_CHANGED=", Env},
			[]string{"PATH=/bin", "RELOAD_RESTARTS=1", "RELOAD_CHANGED=a.js:b=c.js", "RELOAD_CHANGED_FILE=/tmp/x/changed"},
			map[string]string{"RELOAD_CHANGED": "a.js:b=c.js", "RELOAD_CHANGED_FILE": "/tmp/x/changed"}, []string{FdEnv}},
		{"last value wins", []string{"A=1", "A=2"}, []string{"A=3", "A=2"}, map[string]string{}, []string{}},
		{"empty and odd values", []string{"A=x", "B="}, []string{"A=", "B=\n\"é"}, map[string]string{"A": "", "B": "\n\"é"}, []string{}},
		{"unset", []string{"Z=1", "A=1"}, nil, map[string]string{}, []string{"A", "Z"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m message
			if err := json.Unmarshal(Message(tc.started, tc.want), &m); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(m.Set, tc.set) || !reflect.DeepEqual(m.Unset, tc.unset) {
				t.Fatalf("got set %q unset %q, want %q and %q", m.Set, m.Unset, tc.set, tc.unset)
			}
		})
	}
}

func TestColdReason(t *testing.T) {
	p := &Plan{before: []string{".env", "conf/local.env"}}
	for _, tc := range []struct {
		changed []string
		rescan  bool
		want    string // "" for a warm start
	}{
		{[]string{"index.js", "lib/a.mjs", "data.json"}, false, ""},
		{[]string{"index.js", "package.json"}, false, "package.json changed, and node reads it at boot"},
		{[]string{"packages/a/package.json"}, false, "packages/a/package.json changed"},
		{[]string{".env"}, false, ".env changed, and node reads it at boot (--env-file)"},
		{[]string{"conf/local.env"}, false, "--env-file"},
		{[]string{"lib/.env"}, false, ""}, // not the file node was given
		{[]string{".reload.toml"}, false, "reload's config"},
		{[]string{"nodemon.json"}, false, "reload's config"},
		{[]string{".nvmrc"}, false, "node version"},
		{[]string{".npmrc"}, false, "how node starts"},
		{nil, true, "lost events"},
		{nil, false, ""}, // rs, a signal, a crash restart
	} {
		got := p.ColdReason(tc.changed, tc.rescan)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("ColdReason(%q, %v) = %q, want %q", tc.changed, tc.rescan, got, tc.want)
		}
	}
}

func TestPrepare(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no warm starts on Windows")
	}
	root := t.TempDir()
	dir := filepath.Join(root, "srv")
	node := command.Plan{Argv: []string{"node", "--env-file=../.env", "--env-file", "/elsewhere/x.env", "index.js"}}
	p, err := Prepare(node, dir, root, []string{"NODE_OPTIONS=--max-old-space-size=4096"}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	script := p.Script()
	if want := []string{"node", "--require", script}; !reflect.DeepEqual(p.Argv[:3], want) {
		t.Fatalf("argv %q, want it to start with %q", p.Argv, want)
	}
	outside, _ := filepath.Rel(root, "/elsewhere/x.env")
	if want := []string{".env", filepath.ToSlash(outside)}; !reflect.DeepEqual(p.before, want) {
		t.Fatalf("files read before the gate: %q, want %q", p.before, want)
	}
	b, err := os.ReadFile(script)
	if err != nil || string(b) != string(gateScript) {
		t.Fatalf("gate script: %v", err)
	}
	if fi, err := os.Stat(filepath.Dir(script)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("the gate's folder must be private: %v %v", fi.Mode(), err)
	}
	p.Close()
	if _, err := os.Stat(filepath.Dir(script)); !os.IsNotExist(err) {
		t.Fatalf("Close left %s: %v", filepath.Dir(script), err)
	}
	(*Plan)(nil).Close()

	for _, tc := range []struct {
		name       string
		plan       command.Plan
		env        []string
		foreground bool
		want       string
	}{
		{"shell string", command.Plan{Argv: []string{"sh", "-c", "node a.js"}, Shell: "node a.js"}, nil, false, "shell string"},
		{"tsx", command.Plan{Argv: []string{"tsx", "a.ts"}}, nil, false, "runs tsx"},
		{"terminal", node, nil, true, "terminal"},
		{"NODE_OPTIONS preload", node, []string{"NODE_OPTIONS=--inspect -r dotenv/config"}, false, "NODE_OPTIONS has -r"},
		{"NODE_OPTIONS preload, =", node, []string{"NODE_OPTIONS=--require=./x.js"}, false, "NODE_OPTIONS has --require"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			p, err := Prepare(tc.plan, dir, root, tc.env, tc.foreground)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				p.Close()
				t.Fatalf("want an error with %q, got %v", tc.want, err)
			}
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Fatalf("a refused plan left %s in the temp folder", left[0].Name())
			}
		})
	}
}
