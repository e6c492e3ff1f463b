package watcher

import (
	"bufio"
	"bytes"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// ignoreFiles holds the rules of every .gitignore file found so far, keyed by
// the absolute, slash-separated directory that holds it, plus the repository's
// .git/info/exclude. Paths are matched in absolute form so that .gitignore
// files above the project root (up to the repository top) apply too.
type ignoreFiles struct {
	byDir   map[string][]gitignore.Pattern
	exclude []gitignore.Pattern // .git/info/exclude: below every .gitignore in precedence
}

func newIgnoreFiles() *ignoreFiles {
	return &ignoreFiles{byDir: map[string][]gitignore.Pattern{}}
}

// parseIgnore turns the text of a .gitignore (or exclude) file in dir into
// patterns. go-git's ParsePattern does not skip blank lines or comments
// itself; this mirrors its readIgnoreFile.
func parseIgnore(dir string, text []byte) []gitignore.Pattern {
	if len(text) == 0 {
		return nil // the common case, one per directory walked: allocate nothing
	}
	domain := segments(filepath.ToSlash(dir))
	var ps []gitignore.Pattern
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}

// set replaces the rules of dir's .gitignore; nil text forgets them.
func (g *ignoreFiles) set(dir string, text []byte) {
	key := filepath.ToSlash(dir)
	if ps := parseIgnore(dir, text); len(ps) > 0 {
		g.byDir[key] = ps
	} else {
		delete(g.byDir, key)
	}
}

// has reports whether dir's .gitignore has rules loaded.
func (g *ignoreFiles) has(dir string) bool {
	_, ok := g.byDir[filepath.ToSlash(dir)]
	return ok
}

// setExclude sets the rules of .git/info/exclude of the repository at top.
func (g *ignoreFiles) setExclude(top string, text []byte) {
	g.exclude = parseIgnore(top, text)
}

// Match reports whether the absolute path is ignored by a .gitignore file
// of one of its ancestors (the deepest decides; within a file the last
// matching line wins) or else by .git/info/exclude.
func (g *ignoreFiles) Match(abs string, isDir bool) bool {
	if len(g.byDir) == 0 && len(g.exclude) == 0 {
		return false
	}
	s := filepath.ToSlash(abs)
	var segs []string // split once, only when some ancestor has rules
	for j := strings.LastIndexByte(s, '/'); j >= 0; j = strings.LastIndexByte(s[:j], '/') {
		dir := s[:j] // a substring: looking up each ancestor allocates nothing
		if j == 0 {
			dir = "/"
		}
		ps := g.byDir[dir]
		if len(ps) == 0 {
			continue
		}
		if segs == nil {
			segs = segments(s)
		}
		for i := len(ps) - 1; i >= 0; i-- {
			if m := ps[i].Match(segs, isDir); m != gitignore.NoMatch {
				return m == gitignore.Exclude
			}
		}
	}
	if segs == nil && len(g.exclude) > 0 {
		segs = segments(s)
	}
	for i := len(g.exclude) - 1; i >= 0; i-- {
		if m := g.exclude[i].Match(segs, isDir); m != gitignore.NoMatch {
			return m == gitignore.Exclude
		}
	}
	return false
}

// segments splits an absolute slash path into its names: "/a/b" → [a b],
// "C:/a" → [C: a]. Patterns and paths must be split the same way.
func segments(s string) []string {
	s = strings.Trim(s, "/")
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "/")
}
