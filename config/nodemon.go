package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/reload-dev/reload/internal/safefile"
)

// NodemonFile is nodemon's config file, read when there is no .reload.toml.
const NodemonFile = "nodemon.json"

// packageJSON holds nodemon's settings under "nodemonConfig".
const packageJSON = "package.json"

// Nodemon is a nodemon config file read into reload's terms.
type Nodemon struct {
	Config Config
	// Notes say, one line each, what a nodemon key became, or that it has
	// no meaning here and what to write instead; in file order.
	Notes []Note
	// NoColor is "colours": false (or "colors"), which has no key here.
	NoColor bool

	set map[string]bool // reload key paths the file set ("delay", "env.PORT")
}

// IsSet reports whether the file set the reload key at path ("delay";
// "env", "PORT"), as FileKeys does for a .reload.toml.
func (n Nodemon) IsSet(path ...string) bool { return n.set[strings.Join(path, ".")] }

// Note is one remark on a nodemon key.
type Note struct {
	File  string // the file as given
	Line  int    // the key's line, from 1
	Key   string // nodemon's key ("delay", "events.config:update", "nodemonConfig.delay")
	Value string // its value as written, shortened
	// To is the reload key it set ("delay"), "" when it has no meaning here,
	// and Now that key's value as TOML ("\"2.5s\"").
	To, Now string
	// Msg is how the meaning changed (for a key with To), or why the key has
	// no effect and what to write instead.
	Msg string
	// Warn marks a note to print always: a key that does nothing here. The
	// others are for -v.
	Warn bool
}

// String is the note as one status line:
//
//	nodemon.json:3: "delay": 2500 is delay = "2.5s" here (milliseconds there; a unit here)
//	nodemon.json:7: "dump" has no effect from a config file; run reload --dump
func (n Note) String() string {
	where := n.File
	if n.Line > 0 {
		where = fmt.Sprintf("%s:%d", n.File, n.Line)
	}
	if n.To == "" {
		return fmt.Sprintf("%s: %q %s", where, n.Key, n.Msg)
	}
	s := fmt.Sprintf("%s: %q: %s is %s = %s here", where, n.Key, n.Value, n.To, n.Now)
	if n.Msg != "" {
		s += " (" + n.Msg + ")"
	}
	return s
}

// IsNodemon reports whether path is a nodemon config file: --config takes
// one as well as a .reload.toml, and the extension tells them apart.
func IsNodemon(path string) bool { return strings.EqualFold(filepath.Ext(path), ".json") }

// FindNodemon is Find for nodemon's settings: in each folder Find would
// look in, nodemon.json, then a package.json with "nodemonConfig". Call
// it when Find found no .reload.toml. A package.json that is not valid
// JSON is returned if it names nodemonConfig, so loading it says what is
// wrong; an unreadable one is left to whoever reads package.json next.
func FindNodemon(startDir, home string) (string, error) {
	return search(startDir, home, NodemonFile, NodemonIn)
}

// NodemonIn returns the file that holds nodemon's settings in dir alone, as
// FindNodemon looks in each folder: nodemon.json, else a package.json
// with "nodemonConfig"; "" when there is none.
func NodemonIn(dir string) (string, error) {
	p := filepath.Join(dir, NodemonFile)
	if found, err := exists(p); found || err != nil {
		return p, err
	}
	p = filepath.Join(dir, packageJSON)
	data, _, err := safefile.Read(p, true)
	if err != nil {
		return "", nil
	}
	members, err := jsonObject(bytes.TrimPrefix(data, []byte("\uFEFF")), 0)
	if err != nil {
		if bytes.Contains(data, []byte(`"nodemonConfig"`)) {
			return p, nil
		}
		return "", nil
	}
	for _, m := range members {
		if m.key == "nodemonConfig" {
			return p, nil
		}
	}
	return "", nil
}

// LoadNodemon reads the nodemon config file at path (nodemon.json, another
// .json file, or package.json's "nodemonConfig") on top of base, as Load
// does a .reload.toml: every key with a meaning here sets its reload key,
// and every other key gets a Note. Unlike Load, it validates the result
// (call Validate("") again after the flags); errors name the file, line
// and nodemon's key. On error the returned Config is base.
func LoadNodemon(path string, base Config) (Nodemon, error) {
	return loadNodemon(path, base, nil)
}

// LoadNodemonFound is LoadNodemon for a file FindNodemon returned: the file
// is refused as LoadFound refuses a .reload.toml another user planted.
func LoadNodemonFound(path string, base Config, t Trust) (Nodemon, error) {
	return loadNodemon(path, base, func(fi fs.FileInfo) error { return t.check(path, fi) })
}

func loadNodemon(path string, base Config, check func(fs.FileInfo) error) (Nodemon, error) {
	fail := func(err error) (Nodemon, error) { return Nodemon{Config: base}, err }
	data, fi, err := safefile.Read(path, true)
	if err != nil {
		return fail(nodemonReadError(path, err))
	}
	if check != nil {
		if err := check(fi); err != nil {
			return fail(err)
		}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF")) // nodemon strips a BOM too
	m := newMapper(path, data, base.clone())
	members, err := jsonObject(data, 0)
	if err != nil {
		return fail(m.jsonError(err, ""))
	}
	if strings.EqualFold(filepath.Base(path), packageJSON) {
		if members, err = m.nodemonConfig(members); err != nil {
			return fail(err)
		}
	}
	m.apply(members)
	if len(m.errs) > 0 {
		return fail(join(byLine(m.errs)))
	}
	if err := m.validate(); err != nil {
		return fail(err)
	}
	return m.result(), nil
}

// nodemonConfig returns the members of package.json's "nodemonConfig".
func (m *mapper) nodemonConfig(members []member) ([]member, error) {
	for _, mb := range members {
		if mb.key != "nodemonConfig" {
			continue
		}
		m.prefix = "nodemonConfig."
		inner, err := jsonObject(m.data, mb.at)
		if err != nil {
			return nil, m.jsonError(err, "nodemonConfig")
		}
		return inner, nil
	}
	return nil, &Error{File: m.file, Msg: `has no "nodemonConfig"; nodemon's settings go there, or in nodemon.json`}
}

// nodemonReadError explains why a nodemon config file could not be read.
func nodemonReadError(path string, err error) error {
	switch {
	case errors.Is(err, safefile.ErrNotRegular):
		return &Error{Msg: fmt.Sprintf("config file %s is %v; a config file must be a regular JSON file", path, bareErr(err)), err: err}
	case errors.Is(err, safefile.ErrTooLarge):
		return &Error{Msg: fmt.Sprintf("config file %s is larger than 1 MiB; nodemon's settings are a few lines of JSON", path), err: err}
	}
	return &Error{File: path, Msg: "cannot read it: " + bareErr(err).Error(), err: err}
}

// member is one "key": value of a JSON object.
type member struct {
	key   string
	line  int             // the key's line, from 1
	at    int             // the value's byte offset in the file
	value json.RawMessage // the value as written
}

// errNotObject is jsonObject's error for a value that is not an object.
var errNotObject = errors.New("not an object")

// jsonObject returns the members of the JSON object that starts at byte
// off of data (after white space), in file order; a key written twice
// keeps its last value, as JSON.parse does. Errors are *jsonSyntaxError, or
// errNotObject.
func jsonObject(data []byte, off int) ([]member, error) {
	// The whole value is checked first: the token reader stops at the end of
	// the object and would miss what follows it.
	end := len(data)
	if off > 0 {
		var raw json.RawMessage
		d := json.NewDecoder(bytes.NewReader(data[off:]))
		if err := d.Decode(&raw); err != nil {
			return nil, shift(err, off)
		}
		end = off + int(d.InputOffset())
	} else if err := json.Unmarshal(data, new(any)); err != nil {
		return nil, shift(err, 0)
	}
	dec := json.NewDecoder(bytes.NewReader(data[off:end]))
	if tok, err := dec.Token(); err != nil {
		return nil, shift(err, off)
	} else if tok != json.Delim('{') {
		return nil, errNotObject
	}
	var out []member
	index := map[string]int{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, shift(err, off)
		}
		key, _ := tok.(string)
		line := 1 + bytes.Count(data[:off+int(dec.InputOffset())], []byte("\n"))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, shift(err, off)
		}
		mb := member{key: key, line: line, at: off + int(dec.InputOffset()) - len(raw), value: raw}
		if i, dup := index[key]; dup {
			out[i] = mb
			continue
		}
		index[key] = len(out)
		out = append(out, mb)
	}
	return out, nil
}

// jsonSyntaxError is a JSON syntax error at a byte offset of the whole file:
// the offending byte is at offset-1, as in json.SyntaxError.
type jsonSyntaxError struct {
	msg    string
	offset int
}

func (e *jsonSyntaxError) Error() string { return e.msg }

// shift makes a syntax error in the slice of the file from byte off on an
// error in the file.
func shift(err error, off int) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &jsonSyntaxError{msg: se.Error(), offset: int(se.Offset) + off}
	}
	return err
}

// jsonError explains a file that is not valid JSON, or whose settings
// (under key, for package.json) are not an object, with the line.
func (m *mapper) jsonError(err error, key string) error {
	e := &Error{File: m.file, Key: key, err: err}
	var se *jsonSyntaxError
	switch {
	case errors.Is(err, errNotObject) && key == "":
		e.Line = 1
		e.Msg = `want an object of settings like {"watch": ["src"]}`
	case errors.Is(err, errNotObject):
		e.Msg = `want an object of settings like {"watch": ["src"]}`
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		e.Line = 1 + bytes.Count(m.data, []byte("\n"))
		e.Msg = "invalid JSON: it ends before the object is closed"
	case errors.As(err, &se):
		at := min(max(se.offset-1, 0), len(m.data))
		e.Line = 1 + bytes.Count(m.data[:at], []byte("\n"))
		e.Msg = "invalid JSON: " + jsonSyntaxHint(err.Error(), m.data, at)
	default:
		e.Msg = "invalid JSON: " + err.Error()
	}
	return e
}

// jsonSyntaxHint adds the fix for the mistakes JSON.parse refuses that
// people make most: comments and a comma before a closing bracket.
func jsonSyntaxHint(msg string, data []byte, at int) string {
	rest := data[at:]
	switch {
	case bytes.HasPrefix(rest, []byte("//")), bytes.HasPrefix(rest, []byte("/*")):
		return msg + "; JSON has no comments, remove it"
	case len(rest) > 0 && (rest[0] == '}' || rest[0] == ']'):
		return msg + "; remove the comma before it"
	}
	return msg
}

// byLine sorts problems by their line, keeping the order of those on one.
func byLine(errs []error) []error {
	line := func(err error) int {
		var e *Error
		if errors.As(err, &e) {
			return e.Line
		}
		return 0
	}
	slices.SortStableFunc(errs, func(a, b error) int { return line(a) - line(b) })
	return errs
}
