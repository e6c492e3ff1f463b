package command

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reload-dev/reload/config"
)

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"index.js", "app.py", "main.go", "tool.ts", "run.sh", "data.xyz"} {
		write(t, dir, f, "")
	}
	if err := os.Mkdir(filepath.Join(dir, "lib.js"), 0o755); err != nil { // a folder, not a script
		t.Fatal(err)
	}
	execMap := config.DefaultExecMap()
	for _, tc := range []struct {
		name     string
		in       Input
		argv     []string
		watchExt []string
	}{
		{"node script", Input{Args: []string{"index.js", "--port", "3000"}}, []string{"node", "index.js", "--port", "3000"}, []string{"js", "mjs", "cjs", "json", "ts"}},
		{"python script", Input{Args: []string{"app.py"}}, []string{"python3", "app.py"}, []string{"py"}},
		{"go script", Input{Args: []string{"main.go"}}, []string{"go", "run", "main.go"}, []string{"go", "mod", "sum"}},
		{"ts script", Input{Args: []string{"tool.ts"}}, []string{"tsx", "tool.ts"}, config.WatchExtFor("tsx", "ts")},
		{"shell script", Input{Args: []string{"run.sh"}}, []string{"sh", "run.sh"}, []string{"sh"}},
		{"unknown extension runs as argv", Input{Args: []string{"data.xyz"}}, []string{"data.xyz"}, nil},
		{"folder named like a script", Input{Args: []string{"lib.js"}}, []string{"lib.js"}, nil},
		{"plain command", Input{Args: []string{"go", "run", "./cmd/server", "-port", "8080"}}, []string{"go", "run", "./cmd/server", "-port", "8080"}, []string{"go", "mod", "sum"}},
		{"plain command, no interpreter", Input{Args: []string{"make", "serve"}}, []string{"make", "serve"}, nil},
		{"plain command, a shell", Input{Args: []string{"sh", "run.sh"}}, []string{"sh", "run.sh"}, nil},
		{"shell string", Input{Shell: "npm run dev"}, []string{"sh", "-c", "npm run dev"}, nil},
		{"shell string with args", Input{Shell: "echo", Args: []string{"a b", "c"}}, []string{"sh", "-c", "echo 'a b' c"}, nil},
		{"config argv", Input{Argv: []string{"node", "index.js"}}, []string{"node", "index.js"}, []string{"js", "mjs", "cjs", "json", "ts"}},
		{"shell string, interpreter", Input{Shell: "python3 -u app.py"}, []string{"sh", "-c", "python3 -u app.py"}, []string{"py"}},
		{"config argv script", Input{Argv: []string{"app.py"}}, []string{"python3", "app.py"}, []string{"py"}},
		{"args win over config argv", Input{Args: []string{"app.py"}, Argv: []string{"node", "index.js"}}, []string{"python3", "app.py"}, []string{"py"}},
		{"exec map override", Input{Args: []string{"app.py"}, ExecMap: map[string]string{"py": "pypy3"}}, []string{"pypy3", "app.py"}, []string{"py"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Dir, in.Root = dir, dir
			if in.ExecMap == nil {
				in.ExecMap = execMap
			}
			p, err := Resolve(in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(p.Argv, tc.argv) {
				t.Errorf("argv: got %q, want %q", p.Argv, tc.argv)
			}
			if !reflect.DeepEqual(p.WatchExt, tc.watchExt) {
				t.Errorf("watch ext: got %q, want %q", p.WatchExt, tc.watchExt)
			}
			// A shell string runs through procgroup.Shell (cmd.exe's own
			// quoting on Windows), never as an argv.
			if in.Shell != "" && p.Shell != p.Describe || in.Shell == "" && p.Shell != "" {
				t.Errorf("shell: got %q (describe %q) for input shell %q", p.Shell, p.Describe, in.Shell)
			}
		})
	}
}

func TestResolveFromProjectFiles(t *testing.T) {
	execMap := config.DefaultExecMap()
	t.Run("package.json main", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, "package.json", `{"main": "server.js", "scripts": {"start": "node other.js"}}`)
		write(t, dir, "server.js", "")
		p, err := Resolve(Input{Dir: dir, Root: dir, ExecMap: execMap})
		if err != nil || !reflect.DeepEqual(p.Argv, []string{"node", "server.js"}) {
			t.Fatalf("got %q, %v", p.Argv, err)
		}
	})
	t.Run("package.json scripts.start", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, "package.json", `{"scripts": {"start": "node other.js"}}`)
		if err := os.MkdirAll(filepath.Join(dir, "node_modules", ".bin"), 0o755); err != nil {
			t.Fatal(err)
		}
		p, err := Resolve(Input{Dir: dir, Root: dir, ExecMap: execMap})
		if err != nil || !reflect.DeepEqual(p.Argv, []string{"sh", "-c", "node other.js"}) {
			t.Fatalf("got %q, %v", p.Argv, err)
		}
		if p.Shell != "node other.js" || len(p.Bin) == 0 || p.Bin[0] != filepath.Join(dir, "node_modules", ".bin") || len(p.WatchExt) == 0 {
			t.Fatalf("start script: want node_modules/.bin on PATH and node's extensions, got %+v", p)
		}
	})
	t.Run("package.json scripts.start, not node", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, "package.json", `{"scripts": {"start": "PORT=1 python3 app.py"}}`)
		p, err := Resolve(Input{Dir: dir, Root: dir, ExecMap: execMap})
		if err != nil || !reflect.DeepEqual(p.WatchExt, []string{"py"}) || p.WatchExtFrom != "python3 in package.json scripts.start" {
			t.Fatalf("got %q from %q, %v", p.WatchExt, p.WatchExtFrom, err)
		}
	})
	t.Run("bad package.json", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, "package.json", `{"main": `)
		if _, err := Resolve(Input{Dir: dir, Root: dir, ExecMap: execMap}); err == nil {
			t.Fatal("want an error for invalid JSON")
		}
	})
	t.Run("go.mod", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, "go.mod", "module x\n")
		p, err := Resolve(Input{Dir: dir, Root: dir, ExecMap: execMap})
		if err != nil || !reflect.DeepEqual(p.Argv, []string{"go", "run", "."}) {
			t.Fatalf("got %q, %v", p.Argv, err)
		}
	})
	t.Run("nothing", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := Resolve(Input{Dir: dir, Root: dir, ExecMap: execMap}); !errors.Is(err, ErrNothingToRun) {
			t.Fatalf("want ErrNothingToRun, got %v", err)
		}
	})
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain":     "plain",
		"two words": "'two words'",
		"it's":      `'it'\''s'`,
		"$HOME":     "'$HOME'",
		"":          "''",
	} {
		if got := Quote([]string{in}); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestMissingScript: a first argument with a script extension that names no
// file is a usage error (SPEC §1), not a program to look up on PATH; a
// program of that name on PATH still runs.
func TestMissingScript(t *testing.T) {
	dir, bin := t.TempDir(), t.TempDir()
	write(t, dir, "server.ts", "")
	write(t, dir, "App.py", "")
	write(t, bin, "deploy.sh", "#!/bin/sh\n")
	if err := os.Chmod(filepath.Join(bin, "deploy.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	for _, tc := range []struct{ arg, want string }{
		{"gone.js", "gone.js: no such file; check the name, or give a command after --"},
		{"server.js", "server.js: no such file; did you mean server.ts?"},
		{"app.py", "app.py: no such file; did you mean App.py?"},
		{filepath.Join("sub", "x.rb"), filepath.Join("sub", "x.rb") + ": no such file"},
	} {
		if _, err := os.Stat(filepath.Join(dir, tc.arg)); err == nil {
			continue // a file system that ignores case: app.py is App.py
		}
		_, err := Resolve(Input{Args: []string{tc.arg}, ExecMap: config.DefaultExecMap(), Dir: dir, Root: dir})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Resolve(%s): %v, want %q", tc.arg, err, tc.want)
		}
	}
	if p, err := Resolve(Input{Args: []string{"deploy.sh"}, ExecMap: config.DefaultExecMap(), Dir: dir, Root: dir}); err != nil || p.Argv[0] != "deploy.sh" {
		t.Errorf("a program on PATH with a script extension: %v %v, want it run as argv", p.Argv, err)
	}
}
