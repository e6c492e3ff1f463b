// Package warm starts the next app ahead of time (--warm). Most of a node
// restart is node booting; with a warm start the next node boots while the
// current app runs, then waits at a gate — gate.cjs, preloaded with
// --require before any of the app's code — until the runner stops the old
// app and opens the gate with the new start's environment (Gate, Message).
// The app's code is read from disk only then, so it is always the new code.
// What node reads before the gate (package.json, --env-file files) cannot
// be refreshed that way: a change to it needs a cold start (ColdReason).
package warm

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/reload-dev/reload/internal/command"
)

//go:embed gate.cjs
var gateScript []byte

// Plan is how the runner starts apps ahead. Close it when reload exits:
// it removes the gate script.
type Plan struct {
	// Argv runs the app behind the gate: node --require <gate> <node
	// flags> <script> <args>.
	Argv   []string
	dir    string   // the private folder holding the gate script
	before []string // files node reads before the gate, relative to the project root, with slashes
}

// Prepare writes the gate script to a folder only reload's user can
// enter and returns the Plan for running plan ahead. dir is the app's
// folder, root the project root, env the app's environment (nil: reload's
// own), foreground whether the app is handed the terminal. An error says
// why plan cannot start ahead; every start is cold then.
func Prepare(plan command.Plan, dir, root string, env []string, foreground bool) (*Plan, error) {
	switch {
	case runtime.GOOS == "windows":
		return nil, errors.New("not on Windows, where a process cannot inherit the gate")
	case foreground:
		return nil, errors.New(`the app is handed the terminal (restartable = "" or --no-stdin), which a process waiting ahead cannot take over`)
	}
	if env == nil {
		env = os.Environ()
	}
	if opt := preloadOption(envMap(env)["NODE_OPTIONS"]); opt != "" {
		return nil, fmt.Errorf("NODE_OPTIONS has %s, which node loads before the gate", opt)
	}
	folder, err := os.MkdirTemp("", "reload-warm-") // mode 0700
	if err != nil {
		return nil, fmt.Errorf("cannot write the gate script: %w", err)
	}
	if real, err := filepath.EvalSymlinks(folder); err == nil {
		folder = real // node names the preload by its real path (gate.cjs finds itself in execArgv by it)
	}
	script := filepath.Join(folder, "gate.cjs") // .cjs: CommonJS even under a package.json with "type": "module"
	if err := os.WriteFile(script, gateScript, 0o600); err != nil {
		_ = os.RemoveAll(folder)
		return nil, fmt.Errorf("cannot write the gate script: %w", err)
	}
	g, err := plan.Gate(script)
	if err != nil {
		_ = os.RemoveAll(folder)
		return nil, err
	}
	p := &Plan{Argv: g.Argv, dir: folder}
	for _, f := range g.EnvFiles {
		if !filepath.IsAbs(f) {
			f = filepath.Join(dir, f)
		}
		if rel, err := filepath.Rel(root, f); err == nil {
			p.before = append(p.before, filepath.ToSlash(rel))
		}
	}
	return p, nil
}

// Close removes the gate script. A nil Plan is fine.
func (p *Plan) Close() {
	if p != nil && p.dir != "" {
		_ = os.RemoveAll(p.dir)
	}
}

// Script is the gate script's path.
func (p *Plan) Script() string { return filepath.Join(p.dir, "gate.cjs") }

// readFirst names files that shape a node start before the gate, in any
// folder of the project, with why; see ColdReason.
var readFirst = map[string]string{
	"package.json":     "node reads it at boot (its type and imports)",
	"node.config.json": "node reads it at boot (its options)",
	".npmrc":           "it shapes how node starts",
	".nvmrc":           "it picks the node version",
	".node-version":    "it picks the node version",
	".reload.toml":     "it is reload's config",
	"nodemon.json":     "it is reload's config",
}

// ColdReason says why a start for the changed paths (relative to the
// project root, with slashes) must not use a process started ahead, or
// returns "" when it may: the process has read nothing of the app but what
// node reads at boot, which these name. rescan means the watcher lost
// events, so anything may have changed.
func (p *Plan) ColdReason(changed []string, rescan bool) string {
	if rescan {
		return "the watcher lost events, so anything may have changed"
	}
	for _, c := range changed {
		if why, ok := readFirst[path.Base(c)]; ok {
			return fmt.Sprintf("%s changed, and %s", c, why)
		}
		if slices.Contains(p.before, c) {
			return fmt.Sprintf("%s changed, and node reads it at boot (--env-file)", c)
		}
	}
	return ""
}

// preloadOption returns the first option in nodeOptions (NODE_OPTIONS)
// that loads CommonJS code before the gate (node runs NODE_OPTIONS'
// --require ahead of the command line's), or "".
func preloadOption(nodeOptions string) string {
	for _, f := range strings.Fields(nodeOptions) {
		name, _, _ := strings.Cut(f, "=")
		if name == "-r" || name == "--require" {
			return name
		}
	}
	return ""
}
