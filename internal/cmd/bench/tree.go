package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// treeSpec is the size of the generated project.
type treeSpec struct {
	Files   int // files outside node_modules (60% .js, the rest .json and .md)
	Dirs    int // directories outside node_modules, the root not counted
	Modules int // files inside node_modules, 100 per package
	Fanout  int // subdirectories per directory
}

// tree is a generated project: the app, its sources and the files the
// measurements write to.
type tree struct {
	Root     string   // the project folder (index.js is here)
	Deepest  string   // the last .js file of the deepest directory, in walk order
	Sentinel string   // written after a burst, to prove the watcher still works
	Probes   []string // shallow .js files written to measure latency, one per trial
	Burst    []string // .js files written together; none of the above
	Files    int      // every file created, node_modules and index.js included
	Dirs     int      // every directory created under Root, node_modules included
}

// appSource is the app every tool runs: it appends one line to the start
// log (performance.timeOrigin, when the node process began, and when this
// script began, in ms since the epoch), loads value.js and the modules
// listed, then serves HTTP on 127.0.0.1, port $PORT (0: any), answering
// with the number value.js exports, as loaded at start (as a real app
// holds its code). Starts are counted from the node shim's lines, not from
// these: an app killed while node boots never gets to write one.
const appSource = `// Benchmark app: one line per start in the start log, then an HTTP server.
const script = performance.timeOrigin + performance.now();
require('fs').appendFileSync(%q,
  'app ' + process.pid + ' ' + performance.timeOrigin.toFixed(3) + ' ' + script.toFixed(3) + '\n');
const value = require('./value.js');
for (const m of %s) require(m);
const server = require('http').createServer((req, res) => res.end(value + '\n'));
server.listen(Number(process.env.PORT) || 0, '127.0.0.1',
  () => console.log('ready pid=' + process.pid + ' port=' + server.address().port));
`

// valueSource is value.js holding n.
func valueSource(n int) []byte { return fmt.Appendf(nil, "module.exports = %d;\n", n) }

// writeApp writes index.js, which loads each of loads (paths relative to
// root), and value.js exporting 0.
func writeApp(root, startLog string, loads []string) error {
	mods := make([]string, len(loads))
	for i, l := range loads {
		mods[i] = fmt.Sprintf("%q", "./"+filepath.ToSlash(l))
	}
	list := "[" + strings.Join(mods, ", ") + "]"
	if err := os.WriteFile(filepath.Join(root, "index.js"), fmt.Appendf(nil, appSource, startLog, list), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, "value.js"), valueSource(0), 0o644)
}

// genTree writes the project into root (which must not exist yet). The app
// appends its start lines to startLog. Directories are made breadth first,
// spec.Fanout per parent, so the last ones are the deepest; files are dealt
// round-robin over them.
func genTree(ctx context.Context, root, startLog string, spec treeSpec, probes int) (tree, error) {
	if spec.Files < spec.Dirs || spec.Dirs < 1 || spec.Fanout < 2 {
		return tree{}, fmt.Errorf("tree of %d files in %d dirs (fanout %d): need at least one file per directory", spec.Files, spec.Dirs, spec.Fanout)
	}
	t := tree{Root: root}
	if err := os.Mkdir(root, 0o755); err != nil {
		return t, err
	}
	dirs := layout(spec.Dirs, spec.Fanout)
	for _, d := range dirs {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			return t, err
		}
	}
	t.Dirs = len(dirs)
	deepDir := deepest(dirs)
	var js []string
	for i := range spec.Files {
		if i%1000 == 0 && ctx.Err() != nil {
			return t, ctx.Err()
		}
		ext := [...]string{"js", "js", "js", "json", "md"}[(i/len(dirs))%5] // each folder gets every kind
		rel := filepath.Join(dirs[i%len(dirs)], fmt.Sprintf("f%06d.%s", i, ext))
		if err := os.WriteFile(filepath.Join(root, rel), []byte("// 0\n"), 0o644); err != nil {
			return t, err
		}
		if ext != "js" {
			continue
		}
		if filepath.Dir(rel) == deepDir {
			t.Deepest = rel // names grow with i: the last one is last in its folder
		}
		js = append(js, rel)
	}
	if t.Deepest == "" {
		return t, fmt.Errorf("no .js file in the deepest folder %s: give at least 3 files per folder", deepDir)
	}
	t.Files = spec.Files + 2 // index.js and value.js
	n, d, err := genModules(filepath.Join(root, "node_modules"), spec.Modules)
	if err != nil {
		return t, err
	}
	t.Files += n
	t.Dirs += d
	if err := t.pick(js, probes); err != nil {
		return t, err
	}
	// The app loads every file a measurement expects a restart from, so
	// that tools which watch only what the app loads (node --watch, tsx)
	// restart on them too; the burst's files it does not load.
	loads := append([]string{t.Deepest, t.Sentinel}, t.Probes...)
	return t, writeApp(root, startLog, loads)
}

// pick sets Probes (files in the top folders), Sentinel and Burst from the
// .js files, keeping the four roles apart.
func (t *tree) pick(js []string, probes int) error {
	if len(js) < probes+3 {
		return fmt.Errorf("only %d .js files: too few for %d probes, a sentinel and a burst", len(js), probes)
	}
	used := map[string]bool{t.Deepest: true}
	for _, f := range js { // the first files dealt land in the first (top) folders
		if len(t.Probes) == probes {
			break
		}
		if !used[f] {
			t.Probes = append(t.Probes, f)
			used[f] = true
		}
	}
	t.Sentinel = js[len(js)/2]
	if used[t.Sentinel] {
		t.Sentinel = js[len(js)/2+1]
	}
	used[t.Sentinel] = true
	for _, f := range js {
		if !used[f] {
			t.Burst = append(t.Burst, f)
		}
	}
	return nil
}

// layout lists n directory paths, breadth first with fanout children each.
func layout(n, fanout int) []string {
	dirs := make([]string, 0, n)
	parents := []string{""}
	for len(dirs) < n {
		var next []string
		for _, p := range parents {
			for c := range fanout {
				if len(dirs) == n {
					return dirs
				}
				d := filepath.Join(p, fmt.Sprintf("d%d", c))
				dirs = append(dirs, d)
				next = append(next, d)
			}
		}
		parents = next
	}
	return dirs
}

// deepest is the directory of greatest depth that a sorted walk reaches last.
func deepest(dirs []string) string {
	depth := func(d string) int { return strings.Count(d, string(filepath.Separator)) }
	best := dirs[0]
	for _, d := range dirs[1:] {
		if depth(d) > depth(best) || (depth(d) == depth(best) && d > best) {
			best = d
		}
	}
	return best
}

// genModules writes n files as packages of 100 (package.json, index.js and
// 98 files in lib/), the shape npm leaves. It returns files and directories made.
func genModules(dir string, n int) (files, dirs int, err error) {
	if n <= 0 {
		return 0, 0, nil
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return 0, 0, err
	}
	dirs = 1
	for p := 0; files < n; p++ {
		pkg := filepath.Join(dir, fmt.Sprintf("pkg%04d", p))
		if err := os.MkdirAll(filepath.Join(pkg, "lib"), 0o755); err != nil {
			return files, dirs, err
		}
		dirs += 2
		names := []string{"package.json", "index.js"}
		for i := range 98 {
			names = append(names, filepath.Join("lib", fmt.Sprintf("m%02d.js", i)))
		}
		for _, name := range names[:min(len(names), n-files)] {
			if err := os.WriteFile(filepath.Join(pkg, name), []byte("{}\n"), 0o644); err != nil {
				return files, dirs, err
			}
			files++
		}
	}
	return files, dirs, nil
}
