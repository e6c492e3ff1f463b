package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/reload-dev/reload/internal/safefile"
)

// fileConfig is what the file decodes into: Config, plus watch and ignore in
// a type that also takes one plain string. Its own fields win over the
// embedded ones of the same name, as in encoding/json.
type fileConfig struct {
	Config
	Watch  *strs `toml:"watch"`
	Ignore *strs `toml:"ignore"`
}

// Load reads the TOML file at path on top of base, so keys the file does
// not set keep base's values; [env] and [exec_map] add to base's entries.
// Every error names the file (as given), the line and the key; see Error.
// Unknown keys and wrong types are all reported at once. On error the
// returned Config is base. Call Validate on the result.
//
// The file must be a regular file of at most 1 MiB; a symlink to one is
// followed. Anything else (a FIFO, a device, /dev/zero) is refused before
// it is read, so it cannot hang reload or exhaust its memory.
func Load(path string, base Config) (Config, error) {
	return load(path, base, nil)
}

// load is Load, with check (if not nil) run on the file as opened, before
// anything in it is read.
func load(path string, base Config, check func(fs.FileInfo) error) (Config, error) {
	data, fi, err := safefile.Read(path, true)
	if err != nil {
		return base, readError(path, err)
	}
	if check != nil {
		if err := check(fi); err != nil {
			return base, err
		}
	}
	text := string(data)
	if n := tooDeep(text); n > 0 {
		// Checked before the decoder sees the text: deep nesting costs it
		// time and memory by the square of the depth, and stack.
		return base, &Error{File: path, Line: n, Msg: fmt.Sprintf("nested more than %d levels deep "+
			"(table headers, dotted keys, arrays and inline tables count); flatten it", maxDepth)}
	}
	lines := indexLines(text)

	// A first, untyped pass finds syntax errors, unknown keys and wrong
	// types with our own messages; BurntSushi's type errors are terse and
	// it silently skips a non-table value for a map field.
	var raw map[string]any
	md, err := toml.Decode(text, &raw)
	if err != nil {
		return base, syntaxError(path, text, lines, err)
	}
	if errs := checkKeys(path, md, raw, lines); len(errs) > 0 {
		return base, join(errs)
	}

	f := fileConfig{Config: base.clone()}
	if _, err := toml.Decode(text, &f); err != nil {
		return base, decodeError(path, err)
	}
	if f.Watch != nil {
		f.Config.Watch = *f.Watch
	}
	if f.Ignore != nil {
		f.Config.Ignore = *f.Ignore
	}
	return f.Config, nil
}

// readError explains why the config file at path could not be read.
func readError(path string, err error) error {
	switch {
	case errors.Is(err, safefile.ErrNotRegular):
		return &Error{Msg: fmt.Sprintf("config file %s is %v; a config file must be a regular TOML file", path, bareErr(err)), err: err}
	case errors.Is(err, safefile.ErrTooLarge):
		return &Error{Msg: fmt.Sprintf("config file %s is larger than 1 MiB; a config file is a few lines of TOML", path), err: err}
	}
	return &Error{File: path, Msg: "cannot read it: " + bareErr(err).Error(), err: err}
}

// bareErr drops the path an *fs.PathError repeats.
func bareErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// clone copies c deeply: decoding writes into maps and reuses slices'
// backing arrays, which must not reach the caller's base.
func (c Config) clone() Config {
	c.Cmd.Argv = slices.Clone(c.Cmd.Argv)
	c.Watch = slices.Clone(c.Watch)
	c.Ext = slices.Clone(c.Ext)
	c.Ignore = slices.Clone(c.Ignore)
	c.Env = maps.Clone(c.Env)
	c.ExecMap = maps.Clone(c.ExecMap)
	c.Hooks = maps.Clone(c.Hooks)
	return c
}

// decodeError turns a failure of the typed pass into an *Error. Failures of
// UnmarshalText and UnmarshalTOML arrive as toml.ParseError with the key's
// exact line; anything else is BurntSushi's plain "line N (last key K)"
// error, read back from its text.
func decodeError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return &Error{File: path, Line: pe.Position.Line, Key: pe.LastKey, Msg: pe.Message, err: err}
	}
	if m := plainErr.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &Error{File: path, Line: n, Key: m[2], Msg: m[3], err: err}
	}
	return &Error{File: path, Msg: strings.TrimPrefix(err.Error(), "toml: "), err: err}
}

var plainErr = regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "(.*?)"\): (.*)$`)

// syntaxError explains a file that is not valid TOML, with a hint for the
// two mistakes people make most: unquoted durations and unquoted words.
func syntaxError(path, text string, lines lineIndex, err error) error {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return &Error{File: path, Msg: strings.TrimPrefix(err.Error(), "toml: "), err: err}
	}
	e := &Error{File: path, Line: pe.Position.Line, Key: pe.LastKey, Msg: "invalid TOML: " + pe.Message, err: err}
	if s := pe.Position.Start; s > 0 && s <= len(text) {
		// The lexer counts a newline it stopped at into the next line.
		e.Line = 1 + strings.Count(text[:s], "\n")
	}
	if k := lines.keyAt(e.Line); k != "" {
		e.Key = k
	}
	src := strings.Split(text, "\n")
	if e.Line < 1 || e.Line > len(src) {
		return e
	}
	m := assignment.FindStringSubmatch(src[e.Line-1])
	if m == nil {
		return e
	}
	v := m[1]
	var probe map[string]any
	if _, perr := toml.Decode("v = "+v, &probe); perr == nil {
		return e // the value is fine TOML (true, 3); the mistake is elsewhere
	}
	if _, perr := ParseDuration(v); perr == nil {
		e.Msg = fmt.Sprintf("durations are strings; write %q", v)
	} else if bareWord.MatchString(v) {
		e.Msg = fmt.Sprintf("strings need quotes; write %q", v)
	}
	return e
}

var (
	assignment = regexp.MustCompile(`^[^=#"'\[]+=\s*([^\s#"'\[{]+)\s*(?:#.*)?$`)
	bareWord   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_./-]*$`)
)
