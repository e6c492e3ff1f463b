//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// workspace is what every tool is pointed at.
type workspace struct {
	Tree     tree
	Work     string // the bench's temp folder (outside the tree)
	StartLog string // where the node shim and the app log each start
	ShimDir  string // holds the node shim
	Env      []string
	Delay    time.Duration
	Node     string        // path of the real node
	Shift    time.Duration // node's timeOrigin less the shim's stamp (see startLog)
}

// tool is one watcher under test.
type tool struct {
	Key     string // its name in -tools
	Name    string
	Version string
	How     string // the command line, for the notes under the table
	// Delay is the tool's own fixed quiet period, when -delay cannot set
	// it; 0 means it takes -delay.
	Delay time.Duration
	// Poll is how often the tool polls files (0: it gets events); a
	// restart may come that long after a write.
	Poll time.Duration
	// ImportsOnly: the tool watches the files the app loads, not the
	// project, so writes to files the app never loads restart nothing.
	ImportsOnly bool
	// AppTimed: the tool spawns node by its absolute path
	// (process.execPath), past the node shim, so its starts are read from
	// the app's own line (see startLog).
	AppTimed bool
	spec     func(ws workspace) (launchSpec, error)
}

// delay is the quiet period the tool waits after a change.
func (t tool) delay(ws workspace) time.Duration {
	if t.Delay > 0 {
		return t.Delay
	}
	return ws.Delay
}

// toolNames are the tools the bench knows, in table order.
var toolNames = []string{"reload", "nodemon", "supervisor", "air", "node-watch", "tsx"}

// findTools returns the wanted tools that are installed, and a note for
// each one that is not.
func findTools(want []string, reloadBin, repo, peers string) (found []tool, missing []string) {
	for _, name := range want {
		t, err := findTool(name, reloadBin, repo, peers)
		if err != nil {
			missing = append(missing, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		found = append(found, t)
	}
	return found, missing
}

func findTool(name, reloadBin, repo, peers string) (tool, error) {
	t, err := knownTool(name, reloadBin, repo, peers)
	t.Key = name
	return t, err
}

func knownTool(name, reloadBin, repo, peers string) (tool, error) {
	switch name {
	case "reload":
		return reloadTool(reloadBin, repo), nil
	case "nodemon":
		return nodeTool(name, filepath.Join(peers, "node_modules", "nodemon"), "bin/nodemon.js",
			func(ws workspace) []string {
				// --spawn: by default nodemon forks its own node binary,
				// which would bypass the node shim that times starts.
				return []string{"--no-update-notifier", "--no-colours", "--spawn", "-I", "-w", ".", "-e", "js", "-i", "node_modules",
					"-d", fmt.Sprintf("%dms", ws.Delay.Milliseconds()), "index.js"}
			})
	case "supervisor":
		t, err := nodeTool(name, filepath.Join(peers, "node_modules", "supervisor"), "lib/cli-wrapper.js",
			func(workspace) []string {
				// Its own fixed 50 ms wait stands for delay; it polls each
				// file with fs.watchFile (its default, every 1 s).
				return []string{"-t", "-w", ".", "-e", "js", "-i", "node_modules", "--", "index.js"}
			})
		t.Delay, t.Poll = 50*time.Millisecond, time.Second
		return t, err
	case "air":
		return airTool(filepath.Join(peers, "bin", "air"))
	case "node-watch":
		return nodeWatchTool()
	case "tsx":
		t, err := nodeTool(name, filepath.Join(peers, "node_modules", "tsx"), "dist/cli.mjs",
			func(workspace) []string {
				// tsx watch follows the app's imports (node_modules and
				// dot-folders excluded) and waits a fixed 100 ms.
				return []string{"watch", "--clear-screen=false", "index.js"}
			})
		t.Delay, t.ImportsOnly, t.AppTimed = 100*time.Millisecond, true, true
		return t, err
	}
	return tool{}, fmt.Errorf("unknown tool; known: %s", strings.Join(toolNames, ", "))
}

// reloadTool measures bin, built from repo ("" when it was given prebuilt).
func reloadTool(bin, repo string) tool {
	version := "this tree"
	if repo == "" { // a prebuilt binary
		version = strings.TrimPrefix(commandOutput(bin, "--version"), "reload version ")
	} else if out, err := exec.Command("git", "-C", repo, "describe", "--tags", "--always", "--dirty").Output(); err == nil {
		version = strings.TrimSpace(string(out))
	}
	how := "reload -v -d 50ms -e js index.js (node_modules is a built-in ignore)"
	if repo != "" {
		how += "; built as releases are, CGO_ENABLED=0 go build -trimpath -ldflags \"-s -w\""
	}
	return tool{
		Name:    "reload",
		Version: version,
		How:     how,
		spec: func(ws workspace) (launchSpec, error) {
			return launchSpec{
				Argv:   []string{bin, "-v", "--no-color", "-d", ws.Delay.String(), "-e", "js", "index.js"},
				Dir:    ws.Tree.Root,
				Marker: "[reload] watching",
			}, nil
		},
	}
}

// nodeTool is a peer installed with npm, run as node <script> so the tool
// process is the node process whose memory and CPU are measured.
func nodeTool(name, pkgDir, script string, args func(workspace) []string) (tool, error) {
	b, err := os.ReadFile(filepath.Join(pkgDir, "package.json"))
	if err != nil {
		return tool{}, fmt.Errorf("not installed in %s (make bench-peers installs it)", pkgDir)
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(b, &pkg); err != nil {
		return tool{}, fmt.Errorf("%s/package.json: %w", pkgDir, err)
	}
	example := args(workspace{Delay: 50 * time.Millisecond})
	return tool{
		Name:    name,
		Version: pkg.Version,
		How:     name + " " + strings.Join(example, " "),
		spec: func(ws workspace) (launchSpec, error) {
			return launchSpec{
				Argv: append([]string{ws.Node, filepath.Join(pkgDir, script)}, args(ws)...),
				Dir:  ws.Tree.Root,
				Env:  []string{"NO_UPDATE_NOTIFIER=1", "NO_COLOR=1"},
			}, nil
		},
	}, nil
}

// nodeWatchTool is node's own watch mode (node 20 and later). On Linux it
// watches each file the app loads with its own fs.watch, and waits a fixed
// 200 ms after a change.
func nodeWatchTool() (tool, error) {
	return tool{
		Name:        "node --watch",
		Version:     commandOutput("node", "--version"),
		How:         "node --watch index.js",
		Delay:       200 * time.Millisecond,
		ImportsOnly: true,
		AppTimed:    true,
		spec: func(ws workspace) (launchSpec, error) {
			return launchSpec{Argv: []string{ws.Node, "--watch", "index.js"}, Dir: ws.Tree.Root}, nil
		},
	}, nil
}

// airConfig runs node index.js, watching .js files outside node_modules;
// air's delay is in milliseconds. The build is "true": an empty cmd would be
// replaced by air's default, go build, which fails on every restart here.
const airConfig = `root = %q
tmp_dir = %q

[build]
cmd = "true"
full_bin = "node index.js"
include_ext = ["js"]
exclude_dir = ["node_modules"]
delay = %d

[color]
mode = "never"

[misc]
clean_on_exit = true
`

func airTool(bin string) (tool, error) {
	if _, err := os.Stat(bin); err != nil {
		return tool{}, fmt.Errorf("not installed at %s (make bench-peers installs it)", bin)
	}
	version := "?"
	if out, err := exec.Command(bin, "-v").CombinedOutput(); err == nil {
		if v := regexp.MustCompile(`v\d+\.\d+\.\d+`).FindString(string(out)); v != "" {
			version = v
		}
	}
	return tool{
		Name:    "air",
		Version: version,
		How:     `air -c air.toml (build.cmd = "true", full_bin = "node index.js", include_ext = ["js"], exclude_dir = ["node_modules"], delay = 50)`,
		spec: func(ws workspace) (launchSpec, error) {
			cfg := filepath.Join(ws.Work, "air.toml")
			text := fmt.Sprintf(airConfig, ws.Tree.Root, filepath.Join(ws.Work, "air-tmp"), ws.Delay.Milliseconds())
			if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
				return launchSpec{}, err
			}
			return launchSpec{Argv: []string{bin, "-c", cfg}, Dir: ws.Tree.Root}, nil
		},
	}, nil
}
