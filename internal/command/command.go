// Package command decides what reload runs: a script under its interpreter,
// a plain argv, a shell string, or what the project's files imply.
package command

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/procgroup"
	"github.com/reload-dev/reload/internal/safefile"
)

// ErrNothingToRun means no argument, no cmd in the config and no
// package.json or go.mod to infer from.
var ErrNothingToRun = errors.New("nothing to run")

// Plan is the resolved command.
type Plan struct {
	Argv         []string // what to exec (for a shell string, procgroup.ShellArgv: it only names it)
	Shell        string   // a shell string, when the command is one: run it with procgroup.Shell
	Describe     string   // how status lines name it
	Interpreter  string   // set when inferred from a script's extension or a project file
	WatchExt     []string // default extensions to watch; nil means every file
	WatchExtFrom string   // what WatchExt was inferred from, for -v and --dump: "node", "tsx in `npm run dev`"
	NotFoundHint string   // the fix to print when Argv[0] is not on PATH
	// Bin lists the node_modules/.bin folders to put first on the app's
	// and the build's PATH, nearest first, as npm run does (see PathList
	// and ExecArgv); nil outside a package.json project.
	Bin []string

	script    int // where the script is in Argv, after its interpreter's words; 0 when there is none
	nodeFlags int // how many of node's options (Input.InterpreterArgs) come just before the script
}

// Input is what Resolve looks at.
type Input struct {
	Args    []string          // the app's words from the command line
	Shell   string            // -x / cmd as a string
	Argv    []string          // cmd as an array
	ExecMap map[string]string // extension (no dot) → interpreter, e.g. "py" → "python3"
	Dir     string            // where relative script paths are looked up (the cwd)
	Root    string            // the project root, for package.json and go.mod
	Home    string            // the home folder, where the search for node_modules/.bin stops ("": os.UserHomeDir)
	// InterpreterArgs are options for the interpreter, written before the
	// script (reload --inspect index.js runs node --inspect index.js).
	// Only node takes them (and tsx, which hands them to node); for any
	// other plan they are an error naming where to write them instead.
	InterpreterArgs []string
}

// Resolve turns the user's words into a Plan, following SPEC §1: arguments
// first, then cmd from the config, then package.json, then go.mod.
// In a package.json project, Bin lists the node_modules/.bin folders.
func Resolve(in Input) (Plan, error) {
	p, err := resolve(in)
	if err == nil && len(in.InterpreterArgs) > 0 {
		p, err = withInterpreterArgs(p, in.InterpreterArgs)
	}
	if err != nil {
		return p, err
	}
	home := in.Home
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	p.Bin = nodeBins(in.Dir, in.Root, home)
	return p, nil
}

// withInterpreterArgs puts flags between p's interpreter and its script.
func withInterpreterArgs(p Plan, flags []string) (Plan, error) {
	flag := flags[0]
	if p.script == 0 {
		return p, fmt.Errorf("%s is not a reload flag; node's own flags go before a script that node runs (reload %s index.js), "+
			"or into the command (reload -- node %s index.js)", flag, flag, flag)
	}
	script := p.Argv[p.script]
	if !takesNodeFlags(p.Interpreter) {
		return p, fmt.Errorf("%s is not a reload flag, and %s, which runs %s, takes no node flags; "+
			"to pass it to the app, write it after the script: reload %s %s", flag, strings.Fields(p.Interpreter)[0], script, script, flag)
	}
	argv := append(append(append([]string(nil), p.Argv[:p.script]...), flags...), p.Argv[p.script:]...)
	p.Argv, p.Describe, p.script, p.nodeFlags = argv, Quote(argv), p.script+len(flags), len(flags)
	return p, nil
}

func resolve(in Input) (Plan, error) {
	npm := npmProject(in.Dir, in.Root)
	argv := in.Args
	if len(argv) == 0 {
		argv = in.Argv
	}
	switch {
	case in.Shell != "":
		s := in.Shell
		if len(in.Args) > 0 {
			s += " " + Quote(in.Args)
		}
		p := shellPlan(s)
		p.inferExt(strings.Fields(s), true, in)
		return p, nil
	case len(argv) > 0:
		if p, ok := scriptPlan(argv, in.ExecMap, in.Dir, npm); ok {
			return p, nil
		}
		if len(in.Args) > 0 {
			if err := missingScript(in.Args[0], in.ExecMap, in.Dir); err != nil {
				return Plan{}, err
			}
		}
		p := argvPlan(argv, npm)
		p.inferExt(argv, false, in)
		return p, nil
	}
	if p, ok, err := packageJSONPlan(in.Root, in.ExecMap); err != nil || ok {
		return p, err
	}
	if _, err := os.Stat(filepath.Join(in.Root, "go.mod")); err == nil {
		return Plan{
			Argv:         []string{"go", "run", "."},
			Describe:     "go run .",
			Interpreter:  "go run",
			WatchExt:     config.WatchExtFor("go run", "go"),
			WatchExtFrom: "go",
			NotFoundHint: "install Go (https://go.dev/dl), or set cmd in .reload.toml",
		}, nil
	}
	return Plan{}, ErrNothingToRun
}

// shellPlan runs s through the platform's shell.
func shellPlan(s string) Plan {
	return Plan{Argv: procgroup.ShellArgv(s), Shell: s, Describe: s}
}

// argvPlan runs argv as it is. In a package.json project (npm), the hint
// for a missing program names npm install -D.
func argvPlan(argv []string, npm bool) Plan {
	hint := "check the spelling, or install it so that it is on PATH"
	if npm && fromNPM(argv[0]) {
		hint = fmt.Sprintf("check the spelling, or install it (npm install -D %s)", progName(argv[0]))
	}
	return Plan{Argv: argv, Describe: Quote(argv), NotFoundHint: hint}
}

// inferExt sets what p watches from the interpreter its plain command
// runs, if it is one (see inferExt); otherwise p watches every file.
func (p *Plan) inferExt(cmd []string, shell bool, in Input) {
	if f, ok := inferExt(cmd, shell, in.Dir, in.Root, in.ExecMap); ok {
		p.Interpreter, p.WatchExt, p.WatchExtFrom = f.interp, f.ext, f.from()
	}
}

// scriptPlan runs args[0] under its interpreter when it is an existing file
// whose extension the exec map knows. In a package.json project (npm), the
// hint for a missing interpreter that npm installs (tsx) names npm install -D.
func scriptPlan(args []string, execMap map[string]string, dir string, npm bool) (Plan, bool) {
	script := args[0]
	ext := strings.TrimPrefix(filepath.Ext(script), ".")
	interp, known := execMap[strings.ToLower(ext)]
	if ext == "" || !known {
		return Plan{}, false
	}
	path := script
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		return Plan{}, false
	}
	words := strings.Fields(interp)
	argv := append(append([]string(nil), words...), args...)
	install := "install it"
	if npm && fromNPM(words[0]) {
		install = "install it (npm install -D " + progName(words[0]) + ")"
	}
	return Plan{
		script:       len(words),
		Argv:         argv,
		Describe:     Quote(argv),
		Interpreter:  interp,
		WatchExt:     config.WatchExtFor(interp, ext),
		WatchExtFrom: progName(words[0]),
		NotFoundHint: fmt.Sprintf("%q runs .%s files: %s, or map %q to another interpreter in [exec_map] of .reload.toml",
			words[0], ext, install, ext),
	}, true
}

// missingScript returns an error when script has an extension of the exec
// map but names no file (SPEC §1): run as a program, "server.js" would only
// fail with "executable file not found in $PATH". A program of that name on
// PATH (a tool installed as deploy.sh) is not missing.
func missingScript(script string, execMap map[string]string, dir string) error {
	ext := strings.TrimPrefix(filepath.Ext(script), ".")
	if _, known := execMap[strings.ToLower(ext)]; ext == "" || !known {
		return nil
	}
	path := script
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil // there, or unreadable: running it says what is wrong
	}
	if !strings.ContainsRune(script, '/') && !strings.ContainsRune(script, filepath.Separator) {
		if _, err := exec.LookPath(script); err == nil {
			return nil
		}
	}
	if near := nearName(path, execMap); near != "" {
		return fmt.Errorf("%s: no such file; did you mean %s?", script, filepath.Join(filepath.Dir(script), near))
	}
	return fmt.Errorf("%s: no such file; check the name, or give a command after --", script)
}

// nearName returns a file beside path that was likely meant: the same name
// in another case, or the same stem with another script extension.
func nearName(path string, execMap map[string]string) string {
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return ""
	}
	base := filepath.Base(path)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	for _, e := range entries {
		n := e.Name()
		ext := strings.TrimPrefix(filepath.Ext(n), ".")
		_, known := execMap[strings.ToLower(ext)]
		if !e.IsDir() && (strings.EqualFold(n, base) || (known && strings.TrimSuffix(n, filepath.Ext(n)) == stem)) {
			return n
		}
	}
	return ""
}

// packageJSONPlan reads main, then scripts.start, from root/package.json.
func packageJSONPlan(root string, execMap map[string]string) (Plan, bool, error) {
	path := filepath.Join(root, "package.json")
	data, _, err := safefile.Read(path, true) // a FIFO or /dev/zero here must not hang reload
	if errors.Is(err, os.ErrNotExist) {
		return Plan{}, false, nil
	}
	if err != nil {
		return Plan{}, false, fmt.Errorf("read %s: %w", path, err)
	}
	var pkg struct {
		Main    string            `json:"main"`
		Scripts map[string]string `json:"scripts"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return Plan{}, false, fmt.Errorf("%s is not valid JSON (%v); fix it, or give the command: reload index.js", path, err)
	}
	if pkg.Main != "" {
		if p, ok := scriptPlan([]string{pkg.Main}, execMap, root, true); ok {
			return p, true, nil
		}
	}
	if start := pkg.Scripts["start"]; start != "" {
		p := shellPlan(start)
		p.Interpreter, p.WatchExt, p.WatchExtFrom = "node", config.WatchExtFor("node", "js"), "node (a package.json project)"
		if f, ok := inferExt(strings.Fields(start), true, root, root, execMap); ok {
			p.Interpreter, p.WatchExt, p.WatchExtFrom = f.interp, f.ext, f.interp+" in package.json scripts.start"
		}
		return p, true, nil
	}
	return Plan{}, false, nil
}

// npmProject reports whether reload runs in a package.json project.
func npmProject(dir, root string) bool {
	return isFile(filepath.Join(dir, "package.json")) || isFile(filepath.Join(root, "package.json"))
}

// notFromNPM are programs npm does not install: a missing one is no
// reason to suggest npm install -D.
var notFromNPM = words(`node nodejs npm npx pnpm yarn bun deno sh bash zsh dash fish cmd powershell pwsh
	ruby perl php lua go java cargo dotnet make`)

// fromNPM reports whether program may be a tool npm installs (tsx, vite):
// not a shell, a language's own runtime, or a package manager.
func fromNPM(program string) bool {
	name := progName(program)
	return filepath.Base(program) == program && !notFromNPM[name] && !strings.HasPrefix(name, "python")
}

// Quote joins argv for display and for appending to a shell string, quoting
// words that the shell would otherwise split or expand.
func Quote(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		if a != "" && !strings.ContainsAny(a, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
			out[i] = a
			continue
		}
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(out, " ")
}
