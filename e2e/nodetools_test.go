//go:build unix

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// localTool is node_modules/.bin/mytool, a project's own tool: "build"
// succeeds at once; anything else runs as the app and says it was found.
const localTool = `#!/bin/sh
[ "$1" = build ] && exit 0
echo "ready pid=$$ restarts=$RELOAD_RESTARTS changed=$RELOAD_CHANGED tool=mytool arg=$1"
exec sleep 1000
`

// nodeProject is a temp project with a package.json and the local tool.
func nodeProject(t *testing.T, pkg string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "package.json", pkg)
	tool := writeFile(t, dir, "node_modules/.bin/mytool", localTool)
	if err := os.Chmod(tool, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "app.txt", "")
	return dir
}

// TestNodeToolsLocalShell: a shell command and the build find the
// project's own tool in node_modules/.bin, as under npm run.
func TestNodeToolsLocalShell(t *testing.T) {
	t.Parallel()
	dir := nodeProject(t, `{"name": "x"}`)
	p := startReload(t, dir, "-x", "mytool app.txt", "-b", "mytool build")
	if got := p.ready(); got["tool"] != "mytool" || got["arg"] != "app.txt" {
		t.Fatalf("want the local mytool to run, got %v", got)
	}
}

// TestNodeToolsLocalExecMap: an interpreter from [exec_map] is looked up
// in the app's PATH, where node_modules/.bin comes first, not in reload's.
func TestNodeToolsLocalExecMap(t *testing.T) {
	t.Parallel()
	dir := nodeProject(t, `{"name": "x"}`)
	writeFile(t, dir, ".reload.toml", "[exec_map]\ntxt = \"mytool\"\n")
	p := startReload(t, dir, "app.txt")
	if got := p.ready(); got["tool"] != "mytool" || got["arg"] != "app.txt" {
		t.Fatalf("want app.txt run by the local mytool, got %v", got)
	}
	writeFile(t, dir, "app.txt", "x") // the exec map's extension is watched
	if got := p.ready(); got["restarts"] != "1" || got["changed"] != "app.txt" {
		t.Fatalf("want a restart for app.txt, got %v", got)
	}
}

// TestNodeToolsMissingLocalHint: a missing node tool in a package.json
// project is one line naming npm install -D.
func TestNodeToolsMissingLocalHint(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("tsx"); err == nil {
		t.Skip("tsx is installed on this machine")
	}
	dir := nodeProject(t, `{"name": "x"}`)
	writeFile(t, dir, "server.ts", "")
	st, stderr := runReload(t, dir, "--no-watch", "server.ts")
	if st != 127 || !strings.Contains(stderr, "npm install -D tsx") {
		t.Fatalf("want exit 127 and npm install -D tsx, got %d:\n%s", st, stderr)
	}
}

// readyJS is readyApp for node.
const readyJS = "console.log(`ready pid=${process.pid} restarts=${process.env.RELOAD_RESTARTS} changed=${process.env.RELOAD_CHANGED}`);\n" +
	"setInterval(() => {}, 1 << 30);\n"

func needNode(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range append([]string{"node"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
}

// TestInferNodeArgv: reload -- node app.js watches node's extensions, not
// every file: a .log change restarts nothing (the sentinel proves it).
func TestInferNodeArgv(t *testing.T) {
	t.Parallel()
	needNode(t)
	dir := t.TempDir()
	writeFile(t, dir, "app.js", readyJS)
	p := startReload(t, dir, "-v", "--", "node", "app.js")
	waitFor(t, p.errs, "for js,mjs,cjs,json,ts (from node;")
	p.ready()
	writeFile(t, dir, "app.log", "x")
	writeFile(t, dir, "app.js", readyJS+"// edited\n")
	if got := p.ready(); got["restarts"] != "1" || got["changed"] != "app.js" {
		t.Fatalf("want restart 1 for app.js alone, got %v", got)
	}
}

// TestInferNpmStart: reload -x "npm start" reads scripts.start from
// package.json and watches node's extensions.
func TestInferNpmStart(t *testing.T) {
	t.Parallel()
	needNode(t, "npm")
	dir := t.TempDir()
	writeFile(t, dir, "package.json", `{"name": "x", "scripts": {"start": "node server.js"}}`)
	writeFile(t, dir, "server.js", readyJS)
	p := startReloadIn(t, launch{dir: dir, env: []string{"npm_config_update_notifier=false", "npm_config_fund=false"}},
		"-v", "-x", "npm start")
	waitFor(t, p.errs, "for js,mjs,cjs,json,ts (from node in `npm start`;")
	p.ready()
	writeFile(t, dir, "notes.txt", "x")
	writeFile(t, dir, "server.js", readyJS+"// edited\n")
	if got := p.ready(); got["restarts"] != "1" || got["changed"] != "server.js" {
		t.Fatalf("want restart 1 for server.js alone, got %v", got)
	}
}

// selfWritingApp appends to app.log as it starts, for its first five
// starts: each start causes the next, until it stops writing.
const selfWritingApp = `echo "ready pid=$$ restarts=$RELOAD_RESTARTS changed=$RELOAD_CHANGED"
[ "$RELOAD_RESTARTS" -lt 5 ] && echo "start $RELOAD_RESTARTS" >> app.log
exec sleep 1000
`

// TestSelfWritingApp: an app that writes into a watched folder is named,
// once, with the --ignore that stops the loop.
func TestSelfWritingApp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", selfWritingApp)
	p := startReload(t, dir, "--", "sh", "app.sh")
	const warning = "app.log changed right after each start: is the app writing into a watched folder? add it to ignore (reload --ignore app.log)"
	waitFor(t, p.errs, warning)
	for {
		if got := p.ready(); got["restarts"] == "5" {
			break
		} else if got["changed"] != "app.log" && got["restarts"] != "0" {
			t.Fatalf("want restarts caused by app.log, got %v", got)
		}
	}
	writeFile(t, dir, "sentinel.txt", "x") // the loop has ended: this is the next restart
	if got := p.ready(); got["restarts"] != "6" || got["changed"] != "sentinel.txt" {
		t.Fatalf("want restart 6 for the sentinel, got %v", got)
	}
	for _, l := range drain(p.errs) {
		if strings.Contains(l, "right after each start") {
			t.Fatalf("the warning came twice: %s", l)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "app.log")); err != nil {
		t.Fatal(err)
	}
}
