package watcher

import (
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// builtinNames are ignored wherever they appear as a path segment: version
// control, dependency and cache folders, editor litter and reload's own
// output folder. A set, so the walk pays one map lookup per directory.
var builtinNames = map[string]struct{}{
	".git": {}, ".hg": {}, ".svn": {}, ".jj": {},
	"node_modules": {}, "bower_components": {},
	".venv": {}, "__pycache__": {}, ".nyc_output": {}, "coverage": {},
	".sass-cache": {}, ".idea": {}, ".DS_Store": {},
	"4913":    {}, // vim probes whether it may write a directory with this file
	".reload": {},
}

// builtin reports whether a base name is one of the built-in ignores,
// including editor swap, backup and lock files.
func builtin(name string) bool {
	if _, ok := builtinNames[name]; ok {
		return true
	}
	switch {
	case strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"),
		strings.HasSuffix(name, "~"),                                // vim and emacs backups
		strings.HasPrefix(name, ".#"),                               // emacs lock files
		len(name) > 1 && name[0] == '#' && name[len(name)-1] == '#': // emacs auto-save
		return true
	}
	return false
}

// rules are the precomputed name filters: built-in ignores, the user's
// ignore globs and the extension list. Gitignore files are separate
// (ignoreFiles) because they depend on what the walk finds.
type rules struct {
	pathGlobs []string // patterns with a slash: matched against the whole relative path
	baseGlobs []string // patterns without a slash: matched against the base name, at any depth
	exts      []string // ".js", lowercase; empty means every file
}

// newRules precomputes the filters. Globs must already be valid doublestar
// patterns (config validation checks them).
func newRules(ignore, ext []string) *rules {
	r := &rules{}
	for _, g := range ignore {
		g = strings.TrimPrefix(g, "./")
		if strings.Contains(g, "/") {
			r.pathGlobs = append(r.pathGlobs, g)
		} else {
			r.baseGlobs = append(r.baseGlobs, g)
		}
	}
	for _, e := range ext {
		r.exts = append(r.exts, "."+strings.ToLower(strings.TrimPrefix(e, ".")))
	}
	return r
}

// Match reports whether rel is watched (a directory) or reported (a file).
// rel is slash-separated and relative to the project root. Only rel's own
// base name is checked against the per-segment rules: the walk never enters
// an ignored directory, so everything it sees already has accepted parents,
// and checking each ancestor again would cost per file for nothing.
func (r *rules) Match(rel string, isDir bool) bool {
	name := rel[strings.LastIndexByte(rel, '/')+1:]
	if builtin(name) {
		return false
	}
	for _, g := range r.baseGlobs {
		if doublestar.MatchUnvalidated(g, name) {
			return false
		}
	}
	for _, g := range r.pathGlobs {
		// "dir/**" also matches "dir" itself, so the directory costs no watch.
		if doublestar.MatchUnvalidated(g, rel) {
			return false
		}
	}
	return isDir || r.wantExt(name)
}

// wantExt reports whether a file name has one of the watched extensions.
// Suffix matching also serves multi-dot extensions ("d.ts") and is case
// insensitive, as file systems on macOS and Windows are.
func (r *rules) wantExt(name string) bool {
	if len(r.exts) == 0 {
		return true
	}
	for _, e := range r.exts {
		if len(name) > len(e) && strings.EqualFold(name[len(name)-len(e):], e) {
			return true
		}
	}
	return false
}
