package watcher

import (
	"testing"
)

func TestRulesMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ignore, ext []string
		rel         string
		isDir       bool
		want        bool
	}{
		// built-ins, as a segment at any depth, files and directories
		{rel: "src/app.js", want: true},
		{rel: "node_modules", isDir: true, want: false},
		{rel: "a/b/node_modules", isDir: true, want: false},
		{rel: ".git", isDir: true, want: false},
		{rel: ".hg", isDir: true, want: false},
		{rel: ".svn", isDir: true, want: false},
		{rel: ".jj", isDir: true, want: false},
		{rel: "bower_components", isDir: true, want: false},
		{rel: "py/.venv", isDir: true, want: false},
		{rel: "py/__pycache__", isDir: true, want: false},
		{rel: ".nyc_output", isDir: true, want: false},
		{rel: "coverage", isDir: true, want: false},
		{rel: ".sass-cache", isDir: true, want: false},
		{rel: ".idea", isDir: true, want: false},
		{rel: ".reload", isDir: true, want: false},
		{rel: "src/.DS_Store", want: false},
		{rel: "src/.app.js.swp", want: false},
		{rel: "src/.app.js.swx", want: false},
		{rel: "src/app.js~", want: false},
		{rel: "src/.#app.js", want: false},
		{rel: "src/#app.js#", want: false},
		{rel: "src/4913", want: false},
		{rel: "#", want: true}, // one '#' is not an emacs auto-save name
		{rel: "src/node_modules_old", isDir: true, want: true},
		{rel: "my.git", isDir: true, want: true},

		// user globs: no slash matches the base name at any depth
		{ignore: []string{"*.test.js"}, rel: "a/b/x.test.js", want: false},
		{ignore: []string{"*.test.js"}, rel: "a/b/x.js", want: true},
		{ignore: []string{"tmp"}, rel: "deep/tmp", isDir: true, want: false},
		// with a slash: the whole relative path
		{ignore: []string{"src/gen/*.js"}, rel: "src/gen/a.js", want: false},
		{ignore: []string{"src/gen/*.js"}, rel: "lib/src/gen/a.js", want: true},
		{ignore: []string{"./src/gen/*.js"}, rel: "src/gen/a.js", want: false},
		{ignore: []string{"**/*.log"}, rel: "a/b/c.log", want: false},
		// "dir/**" excludes the directory itself, so it is never entered
		{ignore: []string{"build/**"}, rel: "build", isDir: true, want: false},
		{ignore: []string{"build/**"}, rel: "build/x.js", want: false},
		{ignore: []string{"build/**"}, rel: "builder", isDir: true, want: true},
		{ignore: []string{"docs"}, rel: "docs", isDir: true, want: false},

		// extensions: files only, case-insensitive, multi-dot
		{ext: []string{"js", "json"}, rel: "a/b.js", want: true},
		{ext: []string{"js", "json"}, rel: "a/b.JSON", want: true},
		{ext: []string{"js", "json"}, rel: "a/b.ts", want: false},
		{ext: []string{"js"}, rel: "a/b.mjs", want: false},
		{ext: []string{"js"}, rel: "Makefile", want: false},
		{ext: []string{"js"}, rel: "lib", isDir: true, want: true},
		{ext: []string{"d.ts"}, rel: "types/x.d.ts", want: true},
		{ext: []string{"js"}, rel: "a.js.swp", want: false},
	}
	for _, tt := range tests {
		r := newRules(tt.ignore, tt.ext)
		if got := r.Match(tt.rel, tt.isDir); got != tt.want {
			t.Errorf("ignore %q ext %q: Match(%q, dir=%v) = %v, want %v", tt.ignore, tt.ext, tt.rel, tt.isDir, got, tt.want)
		}
	}
}

func TestIgnoreFilesMatch(t *testing.T) {
	t.Parallel()
	g := newIgnoreFiles()
	g.set("/repo", []byte("# a comment\n\n*.log\n/dist\nbuild/\n!keep.log\r\ntmp/**\n"))
	g.set("/repo/sub", []byte("*.gen.go\n!special.log\n"))
	g.set("/repo/sub/deeper", []byte("*.log\n"))
	g.setExclude("/repo", []byte("secret.txt\n*.gen.go\n"))
	g.set("/other", nil) // an empty file sets nothing

	tests := []struct {
		abs   string
		isDir bool
		want  bool
	}{
		{"/repo/app.js", false, false},
		{"/repo/x.log", false, true},
		{"/repo/a/b/x.log", false, true},              // no slash: any depth
		{"/repo/keep.log", false, false},              // later negation wins
		{"/repo/dist", true, true},                    // anchored
		{"/repo/a/dist", true, false},                 // anchored only at its own directory
		{"/repo/build", true, true},                   // directory-only pattern
		{"/repo/build", false, false},                 // ... does not match a file
		{"/repo/tmp", true, true},                     // go-git's "tmp/**" takes tmp itself too: it is never entered
		{"/repo/tmp/x", false, true},                  //
		{"/repo/sub/special.log", false, false},       // a deeper file's negation beats a shallower rule
		{"/repo/sub/deeper/special.log", false, true}, // and the deepest beats that
		{"/repo/sub/x.gen.go", false, true},
		{"/repo/x.gen.go", false, true},     // from info/exclude
		{"/repo/a/secret.txt", false, true}, // from info/exclude
		{"/elsewhere/x.log", false, false},  // rules apply only below their directory
		{"/repo/# a comment", false, false}, // comments are not patterns
	}
	for _, tt := range tests {
		if got := g.Match(tt.abs, tt.isDir); got != tt.want {
			t.Errorf("Match(%q, dir=%v) = %v, want %v", tt.abs, tt.isDir, got, tt.want)
		}
	}

	g.set("/repo", nil) // the root .gitignore was deleted
	if g.Match("/repo/x.log", false) {
		t.Error("rules of a forgotten .gitignore still apply")
	}
}

func TestIgnoreFilesEmptyMatchesNothing(t *testing.T) {
	t.Parallel()
	if newIgnoreFiles().Match("/a/b", true) {
		t.Error("no rules, yet /a/b is ignored")
	}
}
