package command

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reload-dev/reload/config"
)

func TestNodeFlag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		arg              string
		known, takesNext bool
	}{
		{"--inspect", true, false},
		{"--inspect=0.0.0.0:9230", true, false},
		{"--inspect-brk", true, false},
		{"-r", true, true},
		{"--require", true, true},
		{"--require=dotenv/config", true, false},
		{"--import", true, true},
		{"--loader", true, true},
		{"--experimental-loader", true, true},
		{"--env-file", true, true},
		{"--env-file=.env", true, false},
		{"--conditions", true, true},
		{"--enable-source-maps", true, false},
		{"--no-warnings", true, false},
		{"--trace-warnings", true, false},
		{"--no-trace-warnings", true, false}, // --no-X of a switch
		{"--max-old-space-size=4096", true, false},
		{"--max_old_space_size=4096", true, false}, // node reads _ as -
		{"--expose-gc", true, false},
		{"--experimental-strip-types", true, false},
		{"--harmony-temporal", true, false},
		{"--inspct", false, false},
		{"--no-inspct", false, false},
		{"-C", false, false}, // nodemon's --on-change-only: reload's
		{"--watch", false, false},
		{"--eval", false, false},
		{"--experimental-", false, false},
	} {
		known, next := NodeFlag(tc.arg)
		if known != tc.known || next != tc.takesNext {
			t.Errorf("NodeFlag(%q) = %v, %v; want %v, %v", tc.arg, known, next, tc.known, tc.takesNext)
		}
	}
	names := NodeFlagNames()
	for _, n := range names {
		if known, _ := NodeFlag(n); !known || !strings.HasPrefix(n, "--") {
			t.Errorf("NodeFlagNames has %q, which NodeFlag does not know", n)
		}
	}
}

func TestInterpreterArgs(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"index.js", "tool.ts", "app.py"} {
		write(t, dir, f, "")
	}
	write(t, dir, "package.json", `{"main": "index.js"}`)
	sub := filepath.Join(dir, "start")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, sub, "package.json", `{"scripts": {"start": "node index.js"}}`)
	node := []string{"--inspect", "-r", "dotenv/config"}
	for _, tc := range []struct {
		name    string
		in      Input
		argv    []string
		wantErr string
	}{
		{"node script", Input{Args: []string{"index.js", "--port", "3"}}, []string{"node", "--inspect", "-r", "dotenv/config", "index.js", "--port", "3"}, ""},
		{"tsx hands them to node", Input{Args: []string{"tool.ts"}}, []string{"tsx", "--inspect", "-r", "dotenv/config", "tool.ts"}, ""},
		{"interpreter with its own words", Input{Args: []string{"index.js"}, ExecMap: map[string]string{"js": "node --harmony"}},
			[]string{"node", "--harmony", "--inspect", "-r", "dotenv/config", "index.js"}, ""},
		{"package.json main", Input{}, []string{"node", "--inspect", "-r", "dotenv/config", "index.js"}, ""},
		{"python", Input{Args: []string{"app.py"}}, nil,
			"--inspect is not a reload flag, and python3, which runs app.py, takes no node flags; to pass it to the app, write it after the script: reload app.py --inspect"},
		{"plain command", Input{Args: []string{"node", "index.js"}}, nil,
			"--inspect is not a reload flag; node's own flags go before a script that node runs (reload --inspect index.js), or into the command (reload -- node --inspect index.js)"},
		{"shell string", Input{Shell: "node index.js"}, nil, "--inspect is not a reload flag; node's own flags"},
		{"package.json start", Input{Root: sub}, nil, "--inspect is not a reload flag; node's own flags"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Dir = dir
			if in.Root == "" {
				in.Root = dir
			}
			if in.ExecMap == nil {
				in.ExecMap = config.DefaultExecMap()
			}
			in.InterpreterArgs = node
			p, err := Resolve(in)
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Fatalf("error %v; want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(p.Argv, tc.argv) || p.Describe != Quote(tc.argv) {
				t.Fatalf("Resolve = %q (%s), %v; want %q", p.Argv, p.Describe, err, tc.argv)
			}
		})
	}
}

func TestNodeOption(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		arg, name, value string
		has              bool
	}{
		{"--inspect", "--inspect", "", false},
		{"--inspect_brk=0.0.0.0:9230", "--inspect-brk", "0.0.0.0:9230", true},
		{"--inspect=", "--inspect", "", true},
		{"-r", "-r", "", false},
	} {
		name, value, has := NodeOption(tc.arg)
		if name != tc.name || value != tc.value || has != tc.has {
			t.Errorf("NodeOption(%q) = %q, %q, %v; want %q, %q, %v", tc.arg, name, value, has, tc.name, tc.value, tc.has)
		}
	}
}

// TestWithNodeFlags: reload's rewrite of node's options lands on those
// words and no others, and the status lines keep what the user wrote.
func TestWithNodeFlags(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "index.js", "")
	p, err := Resolve(Input{Args: []string{"index.js", "--inspect"}, Dir: dir, Root: dir, Home: dir,
		ExecMap: map[string]string{"js": "node --harmony"}, InterpreterArgs: []string{"--inspect", "-r", "x"}})
	if err != nil {
		t.Fatal(err)
	}
	q, err := p.WithNodeFlags([]string{"--inspect=127.0.0.1:4000", "-r", "x", "--inspect-publish-uid=http"})
	want := []string{"node", "--harmony", "--inspect=127.0.0.1:4000", "-r", "x", "--inspect-publish-uid=http", "index.js", "--inspect"}
	if err != nil || !reflect.DeepEqual(q.Argv, want) || q.Describe != p.Describe {
		t.Fatalf("WithNodeFlags = %q (%s), %v; want %q (%s)", q.Argv, q.Describe, err, want, p.Describe)
	}
	if p.Argv[2] != "--inspect" || len(p.Argv) != 7 {
		t.Fatalf("WithNodeFlags changed the plan it was called on: %q", p.Argv)
	}
	r, err := q.WithNodeFlags([]string{"--inspect"}) // again, on the rewritten plan
	want = []string{"node", "--harmony", "--inspect", "index.js", "--inspect"}
	if err != nil || !reflect.DeepEqual(r.Argv, want) {
		t.Fatalf("WithNodeFlags twice = %q, %v; want %q", r.Argv, err, want)
	}
	plain, err := Resolve(Input{Args: []string{"index.js"}, Dir: dir, Root: dir, Home: dir, ExecMap: map[string]string{"js": "node"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.WithNodeFlags([]string{"--inspect"}); err == nil {
		t.Fatal("WithNodeFlags on a plan without node options")
	}
}
