package command

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/reload-dev/reload/config"
)

// inferred is what a plain command's program says about what to watch.
type inferred struct {
	interp string   // the interpreter found, e.g. "node"
	ext    []string // its extensions
	via    string   // the npm script it was read through ("npm run dev"), or ""
}

// from says where the extensions came from, for -v and --dump:
// "node", or "tsx in `npm run dev`".
func (f inferred) from() string {
	if f.via == "" {
		return f.interp
	}
	return f.interp + " in `" + f.via + "`"
}

// shells run other programs: a shell script says nothing about what to
// watch, so `reload -- sh app.sh` keeps watching every file.
var shells = words("sh bash zsh dash ksh mksh fish cmd powershell pwsh")

// aliases are interpreters known by another name.
var aliases = map[string]string{"nodejs": "node", "ts-node": "tsx"}

// scriptRunners run a package.json script (npm run dev) rather than a file.
var scriptRunners = words("npm pnpm yarn bun")

// inferExt reads a plain command (argv, or a shell string's words when
// shell is set) for the interpreter it runs: the first simple command
// whose program is a known interpreter (node, python3, go, … or any
// program of the exec map that is not a shell) decides. npm start / npm run X (pnpm, yarn, bun alike)
// are read through the script in the package.json of dir or root, one
// level deep; npx X is X. ok is false when nothing is known: watch every
// file (SPEC §4).
func inferExt(cmd []string, shell bool, dir, root string, execMap map[string]string) (inferred, bool) {
	if !shell {
		return programExt(cmd, dir, root, execMap, true)
	}
	for _, c := range simpleCommands(cmd) {
		if f, ok := programExt(c, dir, root, execMap, true); ok {
			return f, true
		}
	}
	return inferred{}, false
}

// programExt reads one simple command (no leading VAR=value).
func programExt(cmd []string, dir, root string, execMap map[string]string, follow bool) (inferred, bool) {
	for len(cmd) > 0 {
		name := progName(cmd[0])
		switch {
		case name == "env" || name == "cross-env" || name == "npx" || name == "pnpx":
			cmd = skipOptions(cmd[1:]) // env FOO=1 node x.js, npx -y tsx x.ts
			continue
		case scriptRunners[name]:
			if !follow {
				return inferred{}, false
			}
			return npmScriptExt(name, cmd[1:], dir, root, execMap)
		}
		if ext := interpreterExt(name, execMap); ext != nil {
			return inferred{interp: name, ext: ext}, true
		}
		return inferred{}, false
	}
	return inferred{}, false
}

// interpreterExt is what `reload SCRIPT` watches for the interpreter
// name: config.WatchExtFor's list, else the extensions the exec map
// gives to it; nil for a shell or a program that is no interpreter.
func interpreterExt(name string, execMap map[string]string) []string {
	if shells[name] || name == "" {
		return nil
	}
	if a, ok := aliases[name]; ok {
		name = a
	}
	if ext := config.WatchExtFor(name, ""); ext != nil {
		return ext
	}
	var ext []string
	for e, interp := range execMap {
		if f := strings.Fields(interp); len(f) > 0 && progName(f[0]) == name {
			ext = append(ext, strings.ToLower(e))
		}
	}
	slices.Sort(ext)
	return ext
}

// npmScriptExt reads `npm start`, `npm run dev` (args are the words after
// runner): the script's command, from package.json, decides.
func npmScriptExt(runner string, args []string, dir, root string, execMap map[string]string) (inferred, bool) {
	rest := skipOptions(args)
	if len(rest) == 0 {
		return inferred{}, false
	}
	name := rest[0]
	switch name {
	case "run", "run-script", "rum", "urn":
		if rest = skipOptions(rest[1:]); len(rest) == 0 {
			return inferred{}, false
		}
		name = rest[0]
	case "t", "tst":
		name = "test"
	}
	via := strings.Join(append([]string{runner}, args[:len(args)-len(rest)+1]...), " ")
	scripts, pkgDir := packageScripts(dir, root)
	script, ok := scripts[name]
	if !ok && name == "start" && isFile(filepath.Join(pkgDir, "server.js")) {
		script, ok = "node server.js", true // npm start's default
	}
	if !ok {
		return inferred{}, false
	}
	for _, cmd := range simpleCommands(strings.Fields(script)) {
		if f, ok := programExt(cmd, dir, root, execMap, false); ok {
			f.via = via
			return f, true
		}
	}
	return inferred{}, false
}

// packageScripts reads the scripts of the package.json in dir, else root
// (where npm run would find it), and returns that folder.
func packageScripts(dir, root string) (map[string]string, string) {
	for _, d := range []string{dir, root} {
		data, err := os.ReadFile(filepath.Join(d, "package.json"))
		if err != nil {
			continue
		}
		var pkg struct {
			Scripts map[string]string `json:"scripts"`
		}
		if json.Unmarshal(data, &pkg) != nil {
			return nil, d
		}
		return pkg.Scripts, d
	}
	return nil, dir
}

// simpleCommands splits words at the shell's command separators (&& || ;
// | &) and drops leading VAR=value assignments. It reads words, not shell
// syntax: enough to name each command's program.
func simpleCommands(ws []string) [][]string {
	var cmds [][]string
	var cur []string
	flush := func() {
		for len(cur) > 0 && isAssignment(cur[0]) {
			cur = cur[1:]
		}
		if len(cur) > 0 {
			cmds = append(cmds, cur)
		}
		cur = nil
	}
	for _, w := range ws {
		for w != "" {
			i := strings.IndexAny(w, ";|&")
			if i < 0 {
				cur = append(cur, w)
				break
			}
			if i > 0 {
				cur = append(cur, w[:i])
			}
			flush()
			w = strings.TrimLeft(w[i:], ";|&")
		}
	}
	flush()
	return cmds
}

// isAssignment reports whether w is a VAR=value prefix of a command.
func isAssignment(w string) bool {
	k, _, ok := strings.Cut(w, "=")
	if !ok || k == "" {
		return false
	}
	for i, r := range k {
		if r != '_' && !(r >= 'A' && r <= 'Z') && !(r >= 'a' && r <= 'z') && !(i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// skipOptions drops leading options and VAR=value words (env, cross-env,
// npx and npm take them before what they run).
func skipOptions(ws []string) []string {
	for len(ws) > 0 && (strings.HasPrefix(ws[0], "-") || isAssignment(ws[0])) {
		ws = ws[1:]
	}
	return ws
}

// progName is how a program is known, whatever its folder, case or
// Windows suffix: "/usr/bin/node" and "NODE.EXE" are "node".
func progName(word string) string {
	word = strings.Trim(word, `"'`)
	if i := strings.LastIndexAny(word, `/\`); i >= 0 {
		word = word[i+1:]
	}
	word = strings.ToLower(word)
	for _, s := range []string{".exe", ".cmd", ".bat"} {
		word = strings.TrimSuffix(word, s)
	}
	return word
}
