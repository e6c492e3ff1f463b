package config

import (
	"path/filepath"
	"strings"
	"time"
)

// Default returns the built-in settings (SPEC §2). Every call returns fresh
// maps and slices, so callers may change them.
func Default() Config {
	return Config{
		Watch:       []string{"."},
		Gitignore:   true,
		Delay:       Duration{50 * time.Millisecond},
		OnChange:    true,
		Signal:      "SIGTERM",
		StopTimeout: Duration{5 * time.Second},
		Backoff: Backoff{
			Initial:    Duration{100 * time.Millisecond},
			Max:        Duration{10 * time.Second},
			ResetAfter: Duration{5 * time.Second},
		},
		Restartable: "rs",
		Log:         LogInfo,
		ExecMap:     DefaultExecMap(),
		Proxy:       Proxy{Wait: Duration{10 * time.Second}, LiveReload: true},
	}
}

// DefaultExecMap returns the built-in interpreters by script extension
// (without the dot). A new map each call.
func DefaultExecMap() map[string]string {
	return map[string]string{
		"js": "node", "mjs": "node", "cjs": "node",
		"ts": "tsx", "mts": "tsx", "cts": "tsx",
		"py":  "python3",
		"rb":  "ruby",
		"sh":  "sh",
		"pl":  "perl",
		"php": "php",
		"lua": "lua",
		"go":  "go run",
	}
}

// WatchExtFor returns the extensions (without dots) worth watching for a
// script run by interpreter, e.g. WatchExtFor("node", ".js"). The
// interpreter may be a command line ("go run", "/usr/bin/python3 -u"); its
// first word decides. Unknown interpreters watch the script's own extension;
// nil means no opinion (watch every file).
func WatchExtFor(interpreter, scriptExt string) []string {
	name := ""
	if f := strings.Fields(interpreter); len(f) > 0 {
		name = strings.TrimSuffix(strings.ToLower(filepath.Base(f[0])), ".exe")
	}
	switch {
	case name == "node":
		// ts too: current node runs .ts files itself (type stripping).
		return []string{"js", "mjs", "cjs", "json", "ts"}
	case name == "tsx":
		// tsx runs TypeScript that imports plain JS and JSON, so edits to
		// those must restart the app as well.
		return []string{"ts", "mts", "cts", "js", "json"}
	case strings.HasPrefix(name, "python"): // python, python3, python3.12
		return []string{"py"}
	case name == "go":
		return []string{"go", "mod", "sum"}
	}
	if e := normExt(scriptExt); e != "" {
		return []string{e}
	}
	return nil
}

// normExt is the one spelling of an extension: no spaces, no leading dot,
// lower case (so ".JS" and "js" are the same entry).
func normExt(s string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "."))
}
