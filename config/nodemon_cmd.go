package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"
)

// The keys below are read together, once every key is known: nodemon
// builds one command from exec, script, args and nodeArgs, and one
// setting each from restartable and stdin, verbose and quiet, and
// legacyWatch and pollingInterval.

// get returns the value of a key apply left for later.
func (m *mapper) get(key string) (member, any, bool) {
	mb, ok := m.later[key]
	if !ok {
		return member{}, nil, false
	}
	v := decodeJSON(mb.value)
	return mb, v, v != nil
}

// ignoreRoot adds "ignoreRoot" to ignore. In nodemon it replaces the
// built-in ignores; here those stay.
func (m *mapper) ignoreRoot() {
	mb, v, ok := m.get("ignoreRoot")
	if !ok {
		return
	}
	if l, ok := m.strings(mb, v, `["**/node_modules/**"]`); ok {
		m.c.Ignore = append(m.c.Ignore, l...)
		m.mapped(mb, "ignore", "nodemon's built-in ignores give way to these there; here they are added to ignore, and the built-in ignores stay")
	}
}

// command builds cmd as nodemon builds its command: exec, then node's
// flags when exec is node, then the script and its args. Without exec the
// script keeps its place at the front, so the exec map picks its
// interpreter when it runs, as for reload SCRIPT ARGS.
func (m *mapper) command() {
	var exec []string
	shell := false // exec is one string for the shell
	emb, ev, hasExec := m.get("exec")
	if hasExec {
		if s, ok := ev.(string); ok {
			exec, shell = []string{s}, true
		} else if exec, hasExec = m.strings(emb, ev, `"ts-node"`); !hasExec {
			return
		}
	}
	var script string
	smb, sv, hasScript := m.get("script")
	if hasScript {
		if script, hasScript = m.str(smb, sv, `"index.js"`); !hasScript {
			return
		}
	}
	var args, nodeArgs []string
	amb, av, hasArgs := m.get("args")
	if hasArgs {
		if args, hasArgs = m.strings(amb, av, `["--port", "3000"]`); !hasArgs {
			return
		}
	}
	nmb, nv, hasNode := m.get("nodeArgs")
	if hasNode {
		if nodeArgs, hasNode = m.strings(nmb, nv, `["--inspect"]`); !hasNode {
			return
		}
	}
	words := args
	if hasScript {
		words = append([]string{script}, args...)
	}
	if slices.ContainsFunc(exec, func(s string) bool { return strings.Contains(s, "{{filename}}") }) {
		if !hasScript {
			m.fail(emb, `uses {{filename}}, which stands for the script, but no "script" is set here; add "script": "app.js", or write the file name into "exec"`)
			return
		}
		for i := range exec {
			exec[i] = strings.ReplaceAll(exec[i], "{{filename}}", quoteIf(shell, script))
		}
		words = args // nodemon leaves the script out then
	}
	for i := range exec {
		exec[i] = m.pwd(exec[i], shell)
	}

	usedNode, scriptWhy := false, ""
	switch {
	case shell:
		s := exec[0]
		if f := strings.Fields(s); hasNode && len(f) > 0 && nodeLike(f[0]) {
			s, usedNode = s+" "+shellJoin(nodeArgs), true
		}
		if len(words) > 0 {
			s += " " + shellJoin(words)
		}
		m.c.Cmd = Command{Shell: s}
	case hasExec:
		argv := slices.Clone(exec)
		if hasNode && len(argv) > 0 && nodeLike(argv[0]) {
			argv, usedNode = append(argv, nodeArgs...), true
		}
		m.c.Cmd = Command{Argv: append(argv, words...)}
	case len(words) > 0:
		f := strings.Fields(m.c.ExecMap[normExt(filepath.Ext(words[0]))])
		if len(f) == 0 {
			f, scriptWhy = []string{"node"}, "nodemon runs a script whose extension it has no interpreter for with node"
		}
		argv := words
		if scriptWhy != "" || hasNode && nodeLike(f[0]) {
			usedNode = hasNode && nodeLike(f[0])
			if usedNode {
				f = append(f, nodeArgs...)
			}
			argv = append(f, words...)
		}
		m.c.Cmd = Command{Argv: argv}
	}
	if hasExec {
		m.mapped(emb, "cmd", "")
	}
	if hasScript {
		m.mapped(smb, "cmd", scriptWhy)
	}
	if hasArgs {
		m.mapped(amb, "cmd", "")
	}
	switch {
	case !hasNode:
	case usedNode:
		m.mapped(nmb, "cmd", "node's own flags, before the script")
	case !hasExec && len(words) == 0:
		m.note(nmb, true, `applies only with "script" here; write node's flags before the script on the command line: reload --inspect index.js`)
	default:
		m.note(nmb, true, "has no effect: only node takes them, and the command does not run node (nodemon ignores them too)")
	}
}

// nodeLike reports whether the program prog takes node's flags: node
// itself, and tsx, which hands them to node.
func nodeLike(prog string) bool {
	name := strings.TrimSuffix(strings.ToLower(filepath.Base(prog)), ".exe")
	return name == "node" || name == "tsx"
}

// pwd puts the file's folder for nodemon's {{pwd}} in s, quoted for the
// shell when s is a shell string.
func (m *mapper) pwd(s string, shell bool) string {
	return strings.ReplaceAll(s, "{{pwd}}", quoteIf(shell, m.dir))
}

func quoteIf(shell bool, s string) string {
	if shell {
		return shellQuote(s)
	}
	return s
}

// shellJoin quotes words for sh and joins them with spaces.
func shellJoin(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = shellQuote(w)
	}
	return strings.Join(q, " ")
}

// shellQuote quotes s for sh when it holds anything but plain characters.
func shellQuote(s string) string {
	plain := func(r rune) bool {
		return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("_./:=@%+,-", r)
	}
	if s != "" && strings.IndexFunc(s, func(r rune) bool { return !plain(r) }) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// stdin reads "restartable" (a string, or false for none) and "stdin"
// (false leaves the terminal to the app: restartable = "").
func (m *mapper) stdin() {
	if mb, v, ok := m.get("restartable"); ok {
		switch v := v.(type) {
		case string:
			m.c.Restartable = v
			m.mapped(mb, "restartable", "")
		case bool:
			if v {
				m.fail(mb, `want a string like "rs", or false, not true`)
				break
			}
			m.c.Restartable = ""
			m.mapped(mb, "restartable", "")
		default:
			m.fail(mb, `want a string like "rs", or false, not %s`, describeJSON(v))
		}
	}
	var on bool
	if mb, v, ok := m.get("stdin"); ok && m.flag(mb, v, &on, "") && !on {
		m.c.Restartable = ""
		m.mapped(mb, "restartable", `nodemon leaves stdin to the app; here restartable = "" does`)
	}
}

// logLevel reads "verbose" and "quiet".
func (m *mapper) logLevel() {
	var verbose, quiet bool
	if mb, v, ok := m.get("verbose"); ok && m.flag(mb, v, &verbose, "") && verbose {
		m.c.Log = LogVerbose
		m.mapped(mb, "log", "")
	}
	if mb, v, ok := m.get("quiet"); ok && m.flag(mb, v, &quiet, "") && quiet {
		if verbose {
			m.note(mb, true, `gives way to "verbose": true here; drop one of the two`)
			return
		}
		m.c.Log = LogQuiet
		m.mapped(mb, "log", "")
	}
}

// polling reads "legacyWatch" and its interval, "pollingInterval"
// (milliseconds), which has no effect without it, in nodemon as here.
func (m *mapper) polling() {
	var legacy bool
	lmb, lv, hasLegacy := m.get("legacyWatch")
	if hasLegacy && !m.flag(lmb, lv, &legacy, "") {
		return
	}
	pmb, pv, hasEvery := m.get("pollingInterval")
	every := DefaultPoll
	if hasEvery {
		var ms float64
		var err error = errors.New("not a number")
		switch v := pv.(type) {
		case json.Number:
			ms, err = v.Float64()
		case string:
			ms, err = strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
		if err != nil || ms <= 0 || ms > float64(time.Hour/time.Millisecond) {
			m.fail(pmb, "want milliseconds like 100, more than 0, not %s", describeJSON(pv))
			return
		}
		every = time.Duration(ms * float64(time.Millisecond))
	}
	switch {
	case legacy:
		m.c.Poll = Duration{every}
		m.mapped(lmb, "poll", "nodemon polls there; here poll is the interval")
		if hasEvery {
			m.mapped(pmb, "poll", "milliseconds there; a unit here")
		}
	case hasEvery:
		m.note(pmb, true, `has no effect without "legacyWatch": true (nor in nodemon); add that to poll`)
	}
}

// validate checks the result as Validate does, with each problem named by
// the nodemon key that set the value and its line.
func (m *mapper) validate() error {
	err := m.c.Validate("")
	if err == nil {
		return nil
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var ce *Error
		if !errors.As(e, &ce) {
			continue
		}
		ce.File, ce.Flag = m.file, ""
		top, rest, _ := strings.Cut(ce.Key, ".")
		if mb, ok := m.from[top]; ok {
			ce.Line, ce.Key = mb.line, m.prefix+mb.key
			if rest != "" && !strings.Contains(mb.key, ".") {
				ce.Key += "." + rest
			}
		}
	}
	return join(byLine(errs))
}

// result is the Nodemon read, its notes in file order with the values the
// reload keys ended with.
func (m *mapper) result() Nodemon {
	for i, n := range m.notes {
		if n.To != "" {
			m.notes[i].Now = m.valueOf(n.To)
		}
	}
	slices.SortStableFunc(m.notes, func(a, b Note) int { return a.Line - b.Line })
	return Nodemon{Config: m.c, Notes: m.notes, NoColor: m.noColor, set: m.set}
}

// valueOf is the reload key's value in m.c as TOML; a table is written
// inline ({ PORT = "3000" }).
func (m *mapper) valueOf(key string) string {
	k, _ := Lookup(key)
	p := k.Field(&m.c)
	if t, ok := p.(*map[string]string); ok {
		var parts []string
		for _, name := range sortedKeys(*t) {
			parts = append(parts, fmt.Sprintf("%s = %s", toml.Key{name}, tomlValue((*t)[name])))
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	if v := dumpValue(p); v != nil {
		return tomlValue(v)
	}
	return `""`
}
