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
	Node     string // path of the real node
}

// tool is one watcher under test.
type tool struct {
	Name    string
	Version string
	How     string // the command line, for the notes under the table
	spec    func(ws workspace) (launchSpec, error)
}

// toolNames are the tools the bench knows, in table order.
var toolNames = []string{"reload", "nodemon", "supervisor", "air"}

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
		return nodeTool(name, filepath.Join(peers, "node_modules", "supervisor"), "lib/cli-wrapper.js",
			func(workspace) []string {
				// Its own fixed 50 ms wait stands for delay; it polls each
				// file with fs.watchFile (its default, every 1 s).
				return []string{"-t", "-w", ".", "-e", "js", "-i", "node_modules", "--", "index.js"}
			})
	case "air":
		return airTool(filepath.Join(peers, "bin", "air"))
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
	return tool{
		Name:    "reload",
		Version: version,
		How:     "reload -v -d 50ms -e js index.js (node_modules is a built-in ignore)",
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
