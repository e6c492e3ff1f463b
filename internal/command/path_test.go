package command

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reload-dev/reload/config"
)

// tree makes the folders and files (a name ending in "/" is a folder)
// under base.
func tree(t *testing.T, base string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(base, filepath.FromSlash(n))
		if strings.HasSuffix(n, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Dir(p), filepath.Base(p), "{}")
	}
}

func TestNodeBins(t *testing.T) {
	home := t.TempDir()
	tree(t, home,
		"node_modules/.bin/",
		"repo/.git/", "repo/package.json", "repo/node_modules/.bin/",
		"repo/packages/api/package.json", "repo/packages/api/node_modules/.bin/",
		"repo/packages/web/src/",
		"loose/app/package.json", "loose/node_modules/.bin/",
		"gomod/go.mod",
	)
	bin := func(rel string) string {
		return filepath.Join(home, filepath.FromSlash(rel), "node_modules", ".bin")
	}
	for _, tc := range []struct {
		name, dir, root string
		want            []string
	}{
		{"no package.json", "gomod", "gomod", nil},
		{"project at the repo root: stops at .git", "repo", "repo", []string{bin("repo")}},
		{"workspace package: nearest first, up to .git", "repo/packages/api", "repo/packages/api",
			[]string{bin("repo/packages/api"), bin("repo")}}, // repo/packages has none: skipped
		{"run in a subfolder of the root: its own folder first, even before npm install",
			"repo/packages/web/src", "repo", []string{bin("repo/packages/web/src"), bin("repo")}},
		{"no .git: stops at home", "loose/app", "loose/app", []string{bin("loose/app"), bin("loose"), bin("")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, root := filepath.Join(home, tc.dir), filepath.Join(home, tc.root)
			if got := nodeBins(dir, root, home); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
	t.Run("someone else's folder further up is left out", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("needs root to give a folder to another user")
		}
		base := t.TempDir()
		tree(t, base, "node_modules/.bin/", "proj/package.json")
		if err := os.Chown(filepath.Join(base, "node_modules", ".bin"), 4242, 4242); err != nil {
			t.Fatal(err)
		}
		proj := filepath.Join(base, "proj")
		want := []string{filepath.Join(proj, "node_modules", ".bin")}
		if got := nodeBins(proj, proj, "/nonexistent-home"); !reflect.DeepEqual(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestPathList(t *testing.T) {
	sep := string(os.PathListSeparator)
	for _, tc := range []struct {
		bins []string
		path string
		want string
	}{
		{nil, "/usr/bin", "/usr/bin"},
		{[]string{"/p/node_modules/.bin"}, "/usr/bin" + sep + "/bin", "/p/node_modules/.bin" + sep + "/usr/bin" + sep + "/bin"},
		{[]string{"/a/.bin", "/b/.bin"}, "/usr/bin", "/a/.bin" + sep + "/b/.bin" + sep + "/usr/bin"},
		{[]string{"/a/.bin"}, "", "/a/.bin"},
	} {
		if got := PathList(tc.bins, tc.path); got != tc.want {
			t.Errorf("PathList(%q, %q) = %q, want %q", tc.bins, tc.path, got, tc.want)
		}
	}
}

func TestLookPath(t *testing.T) {
	local, system := t.TempDir(), t.TempDir()
	for dir, files := range map[string][]string{local: {"tsx"}, system: {"tsx", "node"}} {
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(dir, f), []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(t, local, "plain", "") // not executable
	sep := string(os.PathListSeparator)
	path := local + sep + "relative" + sep + system
	for _, tc := range []struct {
		name, path string
		want       string
		found      bool
	}{
		{"tsx", path, filepath.Join(local, "tsx"), true}, // the first folder wins
		{"node", path, filepath.Join(system, "node"), true},
		{"plain", path, "", false},
		{"missing", path, "", false},
		{"./tsx", path, "", false},
		{"tsx", "", "", false},
	} {
		got, found := LookPath(tc.name, tc.path)
		if got != tc.want || found != tc.found {
			t.Errorf("LookPath(%q) = %q, %v; want %q, %v", tc.name, got, found, tc.want, tc.found)
		}
	}
}

func TestExecArgv(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, "package.json", "server.ts", "app.txt")
	bin := filepath.Join(dir, "node_modules", ".bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"tsx", "mytool"} {
		if err := os.WriteFile(filepath.Join(bin, f), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	execMap := config.DefaultExecMap()
	execMap["txt"] = "mytool"
	for _, tc := range []struct {
		name string
		in   Input
		want []string
	}{
		{"script's interpreter", Input{Args: []string{"server.ts"}}, []string{filepath.Join(bin, "tsx"), "server.ts"}},
		{"exec map", Input{Args: []string{"app.txt"}}, []string{filepath.Join(bin, "mytool"), "app.txt"}},
		{"plain command", Input{Args: []string{"mytool", "x"}}, []string{filepath.Join(bin, "mytool"), "x"}},
		{"not found: as written", Input{Args: []string{"nosuchtool"}}, []string{"nosuchtool"}},
		{"shell string: the shell looks", Input{Shell: "tsx server.ts"}, []string{"sh", "-c", "tsx server.ts"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Dir, in.Root, in.Home, in.ExecMap = dir, dir, dir, execMap
			p, err := Resolve(in)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if in.Shell != "" {
				want = p.Argv // the platform's shell
			}
			if got := p.ExecArgv(PathList(p.Bin, "")); !reflect.DeepEqual(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

func TestNotFoundHint(t *testing.T) {
	npmDir, plainDir := t.TempDir(), t.TempDir()
	for _, d := range []string{npmDir, plainDir} {
		tree(t, d, "server.ts", "app.py")
	}
	tree(t, npmDir, "package.json")
	for _, tc := range []struct {
		name string
		dir  string
		args []string
		want string
		not  string
	}{
		{"node tool in a package.json project", npmDir, []string{"server.ts"}, "npm install -D tsx", ""},
		{"node tool elsewhere", plainDir, []string{"server.ts"}, "install it", "npm"},
		{"python in a package.json project", npmDir, []string{"app.py"}, "install it", "npm"},
		{"plain command in a package.json project", npmDir, []string{"vite", "dev"}, "npm install -D vite", ""},
		{"plain command elsewhere", plainDir, []string{"vite", "dev"}, "on PATH", "npm"},
		{"a folder named", npmDir, []string{"./bin/tool"}, "on PATH", "npm"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Resolve(Input{Args: tc.args, Dir: tc.dir, Root: tc.dir, Home: tc.dir, ExecMap: config.DefaultExecMap()})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(p.NotFoundHint, tc.want) || tc.not != "" && strings.Contains(p.NotFoundHint, tc.not) {
				t.Errorf("hint %q: want %q, not %q", p.NotFoundHint, tc.want, tc.not)
			}
		})
	}
}
