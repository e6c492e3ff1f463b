package config

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/bmatcuk/doublestar/v4"

	"github.com/reload-dev/reload/internal/safefile"
	"github.com/reload-dev/reload/internal/signals"
)

// Validate checks every setting and puts values in their one spelling: the
// signal becomes "SIGTERM" for "term", log and ext entries are lower-cased,
// exec_map keys lose their dot. It returns all problems at once (see Error),
// or nil. file is the config file the values came from, used to name it and
// find each key's line; pass "" after applying flags, and the problems name
// the flag instead. Call it after Load and again after the flags.
func (c *Config) Validate(file string) error {
	v := &validator{file: file}
	if file != "" {
		if data, _, err := safefile.Read(file, true); err == nil {
			v.lines = indexLines(string(data))
		}
	}
	v.command(c.Cmd)
	v.noNUL(c)
	v.paths(c)
	v.modes(c)
	v.durations(c)
	if s, err := NormalizeSignal(c.Signal); err != nil {
		v.add(err.Error(), "signal")
	} else {
		c.Signal = s
	}
	switch l := strings.ToLower(strings.TrimSpace(c.Log)); l {
	case LogQuiet, LogInfo, LogVerbose:
		c.Log = l
	default:
		v.add(fmt.Sprintf(`%q is not a log level; use "quiet", "info" or "verbose"`, c.Log), "log")
	}
	for _, k := range sortedKeys(c.Env) {
		switch {
		case k == "":
			v.add("a variable name is empty; write it like PORT = \"3000\"", "env", k)
		case strings.Contains(k, "="):
			v.add(fmt.Sprintf("%q is not a variable name; remove the \"=\"", k), "env", k)
		}
	}
	v.hooks(c.Hooks)
	c.ExecMap = v.execMap(c.ExecMap)
	v.proxy(&c.Proxy)
	return join(v.errs)
}

// validator collects problems for one Validate call.
type validator struct {
	file  string
	lines lineIndex
	errs  []error
}

// add records msg against the key path (e.g. "backoff", "max").
func (v *validator) add(msg string, path ...string) {
	e := &Error{File: v.file, Key: toml.Key(path).String(), Msg: msg}
	if v.file != "" {
		e.Line = v.lines.line(path...)
	} else {
		e.Flag = flagFor(path...)
	}
	v.errs = append(v.errs, e)
}

func (v *validator) command(c Command) {
	switch {
	case c.Shell != "" && len(c.Argv) > 0:
		v.add("both a shell string and an argv are set; use one", "cmd")
	case c.Shell != "" && strings.TrimSpace(c.Shell) == "":
		v.add(`the command is blank; write one like "npm run dev"`, "cmd")
	case len(c.Argv) > 0 && strings.TrimSpace(c.Argv[0]) == "":
		v.add(`the program (first element) is empty; write it like ["node", "index.js"]`, "cmd")
	}
}

// noNUL refuses a NUL byte in anything that becomes an argv, a path or the
// environment: no OS can pass one, so the app or the build would fail later
// with a status (126, 127, 1) that hides the cause.
func (v *validator) noNUL(c *Config) {
	const msg = "holds a NUL byte (\\x00), which no command, path or environment variable can carry; remove it"
	has := func(s string) bool { return strings.IndexByte(s, 0) >= 0 }
	if has(c.Cmd.Shell) || slices.ContainsFunc(c.Cmd.Argv, has) {
		v.add("the command "+msg, "cmd")
	}
	if has(c.Build) {
		v.add("the command "+msg, "build")
	}
	for _, l := range []struct {
		key  string
		list []string
	}{{"watch", c.Watch}, {"ignore", c.Ignore}} {
		for i, s := range l.list {
			if has(s) {
				v.add(fmt.Sprintf("entry %d %s", i+1, msg), l.key)
			}
		}
	}
	for _, k := range sortedKeys(c.Env) {
		switch {
		case has(k):
			v.add(fmt.Sprintf("the name %q %s", k, msg), "env", k)
		case has(c.Env[k]):
			v.add("the value "+msg, "env", k)
		}
	}
	for _, k := range sortedKeys(c.Hooks) {
		if has(c.Hooks[k]) {
			v.add("the command "+msg, "hooks", k)
		}
	}
	for _, k := range sortedKeys(c.ExecMap) {
		if has(c.ExecMap[k]) {
			v.add("the interpreter "+msg, "exec_map", k)
		}
	}
}

func (v *validator) paths(c *Config) {
	if c.OnChange && len(c.Watch) == 0 {
		v.add(`nothing to watch; list a folder like ["."], or set on_change = false`, "watch")
	}
	for i, w := range c.Watch {
		if strings.TrimSpace(w) == "" {
			v.add(fmt.Sprintf(`entry %d is empty; write a folder like "src"`, i+1), "watch")
		}
	}
	for i, e := range c.Ext {
		c.Ext[i] = normExt(e)
		switch {
		case c.Ext[i] == "":
			v.add(fmt.Sprintf(`entry %d is empty; write extensions like ["js", "json"]`, i+1), "ext")
		case strings.ContainsAny(c.Ext[i], `/\`):
			v.add(fmt.Sprintf(`%q is not an extension; write it like "js" (use ignore or watch for paths)`, e), "ext")
		}
	}
	for i, g := range c.Ignore {
		c.Ignore[i] = folderGlob(g)
		switch {
		case strings.TrimSpace(g) == "":
			v.add(fmt.Sprintf(`entry %d is empty; write a glob like "dist/**"`, i+1), "ignore")
		case !doublestar.ValidatePattern(filepath.ToSlash(g)):
			v.add(fmt.Sprintf(`%q is not a valid glob; check that its [ ] and { } are closed`, g), "ignore")
		}
	}
}

// folderGlob spells a folder written with a trailing slash, as in
// .gitignore and nodemon ("dist/"), as the glob of everything in it: a
// name alone matches that folder at any depth ("**/dist/**"), a path is
// anchored at the project root ("src/gen/**"). Other globs are kept.
func folderGlob(g string) string {
	if !strings.HasSuffix(g, "/") || strings.TrimSpace(g) == "/" {
		return g
	}
	name := strings.TrimPrefix(strings.TrimRight(g, "/"), "./")
	switch {
	case name == "" || name == ".":
		return g // the whole root: left for the user to mean it some other way
	case strings.HasPrefix(name, "/"), strings.Contains(name, "/"):
		return strings.TrimPrefix(name, "/") + "/**"
	}
	return "**/" + name + "/**"
}

// modes checks switches that cannot be on together.
func (v *validator) modes(c *Config) {
	if c.OnChangeOnly && !c.OnChange {
		v.add("waits for a first change, but on_change = false (--no-watch) watches for none; drop one of the two", "on_change_only")
	}
	if c.ExitOnCrash && c.OnCrash {
		v.add("contradicts on_crash (--on-crash): exit after a crash, or restart; pick one", "exit_on_crash")
	}
}

func (v *validator) durations(c *Config) {
	notNegative := func(d Duration, path ...string) {
		if d.Duration < 0 {
			v.add(fmt.Sprintf(`%s is negative; use "0s" or more`, d), path...)
		}
	}
	notNegative(c.Delay, "delay")
	notNegative(c.StopTimeout, "stop_timeout")
	notNegative(c.Poll, "poll")
	notNegative(c.Backoff.ResetAfter, "backoff", "reset_after")
	b := c.Backoff
	if b.Initial.Duration <= 0 {
		v.add(fmt.Sprintf(`%s is not more than 0; write a duration like "100ms"`, b.Initial), "backoff", "initial")
	} else if b.Max.Duration < b.Initial.Duration {
		v.add(fmt.Sprintf("%s is less than backoff.initial (%s); make it at least that", b.Max, b.Initial), "backoff", "max")
	}
	if b.MaxCrashes < 0 {
		v.add(fmt.Sprintf("%d is negative; use 0 for no limit", b.MaxCrashes), "backoff", "max_crashes")
	}
}

// hooks refuses names that are not hooks. An empty command is no hook, so
// --hook crash= turns off one the file sets.
func (v *validator) hooks(m map[string]string) {
	known := strings.Join(HookNames[:len(HookNames)-1], ", ") + " and " + HookNames[len(HookNames)-1]
	for _, k := range sortedKeys(m) {
		if slices.Contains(HookNames, k) {
			continue
		}
		msg := fmt.Sprintf("%q is not a hook; the hooks are %s", k, known)
		if _, ok := Lookup(k); ok {
			// TOML puts every key after a [table] line into that table.
			msg += fmt.Sprintf(` (%q is a top-level key: move it above the [hooks] table)`, k)
		}
		v.add(msg, "hooks", k)
	}
}

// execMap checks m and returns it with every key in the one spelling (no
// dot, lower case). When two keys meet there, the one that was not already
// in that spelling wins: the built-ins all are, so a user's ".ts" entry
// overrides the built-in "ts".
func (v *validator) execMap(m map[string]string) map[string]string {
	var out map[string]string
	if m != nil {
		out = make(map[string]string, len(m))
	}
	keys := sortedKeys(m)
	for _, pass := range []bool{true, false} { // normal spellings first, then the rest
		for _, k := range keys {
			n := normExt(k)
			if (n == k) != pass {
				continue
			}
			switch {
			case n == "" || strings.ContainsAny(n, `/\`):
				v.add(fmt.Sprintf(`%q is not an extension; write it like js = "node"`, k), "exec_map", k)
			case strings.TrimSpace(m[k]) == "":
				v.add(fmt.Sprintf(`the interpreter for %q is empty; write it like js = "node"`, k), "exec_map", k)
			default:
				out[n] = m[k]
			}
		}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// NormalizeSignal returns the one spelling of a stop signal name: "term",
// "TERM", "sigterm" and "SIGTERM" all give "SIGTERM". Names this platform
// cannot send, and signals that pause rather than end the app (SIGSTOP,
// SIGCONT, ...), are errors saying what to use instead.
func NormalizeSignal(name string) (string, error) {
	s, _, err := signals.Stop(name)
	return s, err
}
