package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// The mapper's readers of JSON values, and its records of what each key
// became.

// flag reads a true/false key into dst, and maps it to the reload key to
// (none when ""). It reports whether the value was a boolean.
func (m *mapper) flag(mb member, v any, dst *bool, to string) bool {
	b, ok := v.(bool)
	if !ok {
		m.fail(mb, "want true or false, not %s", describeJSON(v))
		return false
	}
	*dst = b
	if to != "" {
		m.mapped(mb, to, "")
	}
	return true
}

// str reads a string.
func (m *mapper) str(mb member, v any, example string) (string, bool) {
	s, ok := v.(string)
	if !ok {
		m.fail(mb, "want a string like %s, not %s", example, describeJSON(v))
	}
	return s, ok
}

// strings reads one string or an array of strings.
func (m *mapper) strings(mb member, v any, example string) ([]string, bool) {
	switch v := v.(type) {
	case string:
		return []string{v}, true
	case []any:
		out := make([]string, 0, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				m.fail(mb, "element %d is %s; write an array of strings like %s", i+1, describeJSON(e), example)
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	m.fail(mb, "want a string or an array of strings like %s, not %s", example, describeJSON(v))
	return nil, false
}

// fail records a wrong value of mb.
func (m *mapper) fail(mb member, format string, a ...any) {
	m.errs = append(m.errs, &Error{File: m.file, Line: mb.line, Key: m.prefix + mb.key, Msg: fmt.Sprintf(format, a...)})
}

// mapped records that mb set the reload key to; why says how its meaning
// changed ("" when it did not).
func (m *mapper) mapped(mb member, to, why string) { m.addMapped(mb, to, why, false) }

// mappedWarn is mapped for a change the user must hear of without -v.
func (m *mapper) mappedWarn(mb member, to, why string) { m.addMapped(mb, to, why, true) }

func (m *mapper) addMapped(mb member, to, why string, warn bool) {
	m.set[to] = true
	if _, ok := m.from[to]; !ok {
		m.from[to] = mb
	}
	m.notes = append(m.notes, Note{File: m.file, Line: mb.line, Key: m.prefix + mb.key, Value: shortJSON(mb.value), To: to, Msg: why, Warn: warn})
}

// note records a key that sets nothing here; warn prints it without -v.
func (m *mapper) note(mb member, warn bool, msg string) {
	m.notes = append(m.notes, Note{File: m.file, Line: mb.line, Key: m.prefix + mb.key, Value: shortJSON(mb.value), Msg: msg, Warn: warn})
}

// decodeJSON decodes a value that is known to be valid; numbers stay
// json.Number, so their text is kept.
func decodeJSON(raw json.RawMessage) any {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	_ = d.Decode(&v)
	return v
}

// shortJSON is a value as written, on one line and at most about 40 characters.
func shortJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	s := b.String()
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:39]) + "…"
	}
	return s
}

// describeJSON names a decoded JSON value's type for error messages.
func describeJSON(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("a string (%q)", v)
	case json.Number:
		return fmt.Sprintf("a number (%s)", v)
	case bool:
		return fmt.Sprintf("%v", v)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "null"
}
