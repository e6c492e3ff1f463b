package config

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// mapper turns the members of one nodemon config object into a Config.
type mapper struct {
	file    string // as given, for messages
	dir     string // the file's folder, where nodemon runs: its {{pwd}}
	prefix  string // "nodemonConfig." in package.json
	data    []byte // the whole file, for the lines of nested keys
	c       Config
	notes   []Note
	errs    []error
	noColor bool
	set     map[string]bool   // reload key paths set
	from    map[string]member // reload top-level key → the first nodemon member that set it
	later   map[string]member // keys read together once every key is known
}

func newMapper(path string, data []byte, c Config) *mapper {
	dir := filepath.Dir(path)
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return &mapper{file: path, dir: dir, data: data, c: c,
		set: map[string]bool{}, from: map[string]member{}, later: map[string]member{}}
}

// noMeaning lists nodemon's keys that do nothing here, each with why and
// what to write instead.
var noMeaning = map[string]string{
	"cwd":            "has no effect from a config file (nodemon ignores it there too); run reload --cwd DIR",
	"dump":           "has no effect from a config file; run reload --dump",
	"help":           "has no effect from a config file; run reload --help",
	"version":        "has no effect from a config file; run reload --version",
	"configFile":     "has no effect from a config file; run reload --config FILE",
	"stdout":         "has no meaning here: the app writes to the terminal itself",
	"watchOptions":   `(chokidar's options) has no meaning here; for polling write "legacyWatch": true`,
	"js":             "is nodemon's old switch, on by default; it has no effect",
	"monitor":        "is nodemon's internal state; it has no effect",
	"execOptions":    `is nodemon's internal state; it has no effect; use "exec", "script" and "args"`,
	"execArgs":       `has no meaning here; write the words into "exec"`,
	"scriptPosition": "is nodemon's internal state; it has no effect",
}

// noEffect lists nodemon's keys that are accepted and do nothing, as their
// flags are: only -v mentions them.
var noEffect = map[string]string{
	"spawn":            "has no effect: reload always runs the app as a process of its own",
	"noUpdateNotifier": "has no effect: reload never checks for updates",
}

// apply reads every member; each nodemon key gets its reload key or a Note.
func (m *mapper) apply(members []member) {
	for _, mb := range members {
		v := decodeJSON(mb.value)
		if v == nil {
			continue // null: unset, as nodemon reads it
		}
		switch mb.key {
		case "watch":
			m.watch(mb, v)
		case "ignore":
			if l, ok := m.strings(mb, v, `["dist/", "*.test.js"]`); ok {
				m.c.Ignore = l
				m.mapped(mb, "ignore", "")
			}
		case "ext":
			m.ext(mb, v)
		case "execMap":
			m.table(mb, "exec_map", func(k string, v any) (string, bool) {
				s, ok := v.(string)
				return m.pwd(s, false), ok
			})
		case "env":
			m.table(mb, "env", func(_ string, v any) (string, bool) {
				switch v := v.(type) {
				case string:
					return v, true
				case json.Number:
					return v.String(), true
				case bool:
					return strconv.FormatBool(v), true
				}
				return "", false
			})
		case "events":
			m.events(mb)
		case "delay":
			m.delay(mb, v)
		case "signal":
			if s, ok := m.str(mb, v, `"SIGTERM"`); ok {
				m.c.Signal = s
				m.mapped(mb, "signal", "")
			}
		case "runOnChangeOnly":
			m.flag(mb, v, &m.c.OnChangeOnly, "on_change_only")
		case "exitcrash", "exitCrash":
			m.flag(mb, v, &m.c.ExitOnCrash, "exit_on_crash")
		case "colours", "colors":
			var on bool
			if m.flag(mb, v, &on, "") && !on {
				m.noColor = true
				m.note(mb, false, "has no key in .reload.toml; it turns colour off, as --no-color does (in a .reload.toml project pass --no-color or set NO_COLOR)")
			}
		case "exec", "script", "args", "nodeArgs", "restartable", "stdin", "verbose", "quiet", "legacyWatch", "pollingInterval", "ignoreRoot":
			m.later[mb.key] = mb
		default:
			switch why, ok := noMeaning[mb.key]; {
			case ok:
				m.note(mb, true, why)
			case noEffect[mb.key] != "":
				m.note(mb, false, noEffect[mb.key])
			default:
				m.note(mb, true, unknownNodemonKey(mb.key))
			}
		}
	}
	m.ignoreRoot()
	m.command()
	m.stdin()
	m.logLevel()
	m.polling()
}

// unknownNodemonKey is the note for a key nodemon does not know either.
func unknownNodemonKey(key string) string {
	msg := "is not a nodemon setting, so it is ignored (nodemon ignores it too)"
	best, bestD := "", 3
	for _, k := range nodemonKeys() {
		if d := EditDistance(strings.ToLower(key), strings.ToLower(k)); d < bestD && len(key) > 2 {
			best, bestD = k, d
		}
	}
	if best != "" {
		msg += fmt.Sprintf("; did you mean %q?", best)
	}
	return msg
}

// nodemonKeys lists every key nodemon reads, sorted.
func nodemonKeys() []string {
	keys := []string{"watch", "ignore", "ext", "execMap", "env", "events", "delay", "signal", "runOnChangeOnly",
		"exitcrash", "exitCrash", "colours", "colors", "exec", "script", "args", "nodeArgs", "restartable", "stdin",
		"verbose", "quiet", "legacyWatch", "pollingInterval", "ignoreRoot"}
	for k := range noMeaning {
		keys = append(keys, k)
	}
	for k := range noEffect {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// watch reads "watch": a folder or an array of them, or false (no watching).
func (m *mapper) watch(mb member, v any) {
	if b, ok := v.(bool); ok && !b {
		m.c.OnChange = false
		m.mapped(mb, "on_change", "")
		return
	}
	list, ok := m.strings(mb, v, `["src", "lib"]`)
	if !ok {
		return
	}
	var dirs, globs []string
	for _, e := range list {
		dir, glob := watchFolder(e)
		if glob && !slices.Contains([]string{"*.*", "*", "**", "**/*"}, strings.TrimPrefix(e, "./")) {
			globs = append(globs, fmt.Sprintf("%q is the folder %s", e, dir))
		}
		if !slices.Contains(dirs, dir) {
			dirs = append(dirs, dir)
		}
	}
	if len(dirs) == 0 {
		dirs = []string{"."} // nodemon watches "*.*" then
	}
	m.c.Watch = dirs
	if len(globs) > 0 {
		m.mappedWarn(mb, "watch", "reload watches folders: "+strings.Join(globs, ", ")+`; pick files with "ext"`)
		return
	}
	m.mapped(mb, "watch", "")
}

// watchFolder is the folder a nodemon watch entry names: the entry itself,
// or the part before its first glob ("src/**/*.ts" → "src").
func watchFolder(e string) (string, bool) {
	parts := strings.Split(filepath.ToSlash(e), "/")
	for i, p := range parts {
		if strings.ContainsAny(p, "*?[{") {
			dir := strings.Join(parts[:i], "/")
			if dir == "" {
				dir = "."
			}
			return dir, true
		}
	}
	return e, false
}

// ext reads "ext": "js,json", "js json", ".js, *.pde" or an array.
func (m *mapper) ext(mb member, v any) {
	list, ok := m.strings(mb, v, `"js,json"`)
	if !ok {
		return
	}
	out := List{}
	for _, s := range list {
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '*' || r == ' ' || r == '\t' }) {
			if w = normExt(w); w != "" {
				out = append(out, w)
			}
		}
	}
	m.c.Ext = out
	m.mapped(mb, "ext", "")
}

// delay reads "delay": milliseconds, as nodemon reads it in its file (a
// number, or a string of one, which JavaScript's timers take alike); a
// string with a unit is taken as written, though nodemon ignores it.
func (m *mapper) delay(mb member, v any) {
	const want = `want milliseconds like 2500 (nodemon's unit in its file), not %s`
	var text string
	switch v := v.(type) {
	case json.Number:
		text = v.String()
	case string:
		if d, err := ParseDuration(v); err == nil {
			m.c.Delay = Duration{d}
			m.mapped(mb, "delay", "nodemon reads a number of milliseconds there and ignores a unit; here the unit counts")
			return
		}
		text = strings.TrimSpace(v)
	default:
		m.fail(mb, want, describeJSON(v))
		return
	}
	ms, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(ms) || math.Abs(ms) > float64(math.MaxInt64)/float64(time.Millisecond) {
		m.fail(mb, want, describeJSON(v))
		return
	}
	m.c.Delay = Duration{time.Duration(ms * float64(time.Millisecond))}
	if ms > 0 && ms < 10 {
		m.mappedWarn(mb, "delay", fmt.Sprintf("milliseconds, as nodemon reads its file; for %s seconds write %v", text, ms*1000))
		return
	}
	m.mapped(mb, "delay", "milliseconds there; a unit here")
}

// events reads "events": nodemon's start, restart, crash and exit commands
// become hooks of the same names.
func (m *mapper) events(mb member) {
	inner, err := jsonObject(m.data, mb.at)
	if err != nil {
		m.fail(mb, `want an object of event names and commands like {"restart": "echo restarted"}, not %s`, describeJSON(decodeJSON(mb.value)))
		return
	}
	for _, e := range inner {
		e.key = mb.key + "." + e.key
		v := decodeJSON(e.value)
		name := strings.TrimPrefix(e.key, "events.")
		if v == nil {
			continue
		}
		cmd, ok := m.strings(e, v, `"echo restarted"`) // nodemon joins an array with spaces
		if !ok {
			continue
		}
		switch name {
		case "start", "restart", "crash", "exit":
			if m.c.Hooks == nil {
				m.c.Hooks = map[string]string{}
			}
			m.c.Hooks[name] = strings.Join(cmd, " ")
			m.set["hooks."+name] = true
			m.mapped(e, "hooks", "")
		case "config:update":
			m.note(e, true, "has no meaning here: reload does not reload its settings while it runs")
		default:
			m.note(e, true, "has no equivalent; reload's hooks are start, restart, crash, exit and build_failed")
		}
	}
}

// table reads an object of names and values into the map of the reload
// key to, which it adds to; conv returns an entry's value, or false when
// the value's type is wrong.
func (m *mapper) table(mb member, to string, conv func(name string, v any) (string, bool)) {
	const example = `{"NAME": "value"}`
	inner, err := jsonObject(m.data, mb.at)
	if err != nil {
		m.fail(mb, "want an object like %s, not %s", example, describeJSON(decodeJSON(mb.value)))
		return
	}
	k, _ := Lookup(to)
	dst := k.Field(&m.c).(*map[string]string)
	for _, e := range inner {
		v := decodeJSON(e.value)
		s, ok := conv(e.key, v)
		if !ok {
			e.key = mb.key + "." + e.key
			m.fail(e, "want a string, not %s", describeJSON(v))
			continue
		}
		if *dst == nil {
			*dst = map[string]string{}
		}
		(*dst)[e.key] = s
		m.set[to+"."+e.key] = true
	}
	m.mapped(mb, to, "")
}
