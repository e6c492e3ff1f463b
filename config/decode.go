package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// ParseDuration parses a duration with units ("50ms", "2s"). A bare number
// is an error naming the fix, never a guess: nodemon reads "2" as seconds on
// the command line and as milliseconds in its config file.
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	v, err := time.ParseDuration(t)
	if err == nil {
		return v, nil
	}
	if _, ferr := strconv.ParseFloat(t, 64); ferr == nil {
		return 0, fmt.Errorf("%q has no unit; %s", s, unitHint(t))
	}
	return 0, fmt.Errorf("%q is not a duration; write it like \"500ms\" or \"2s\"", s)
}

// unitHint is the fix for a bare number n: seconds first, since guessing
// milliseconds for a stop_timeout of "5" would SIGKILL apps after 5 ms.
func unitHint(n string) string {
	return fmt.Sprintf("write %q (or %q)", n+"s", n+"ms")
}

// UnmarshalText reads a duration written with units; see ParseDuration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	d.Duration = v
	return nil
}

// MarshalText writes the duration the way UnmarshalText reads it.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalTOML reads cmd: a string runs through the shell, an array of
// strings is an argv.
func (c *Command) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		if strings.TrimSpace(v) == "" {
			return errors.New(`the command is empty; write one like "npm run dev", or remove the key to infer it`)
		}
		*c = Command{Shell: v}
		return nil
	case []any:
		if len(v) == 0 {
			return errors.New(`the command is an empty array; write one like ["node", "index.js"], or remove the key to infer it`)
		}
		argv, err := stringArray(v, `["node", "index.js"]`)
		if err != nil {
			return err
		}
		*c = Command{Argv: argv}
		return nil
	}
	return fmt.Errorf(`want a string like "npm run dev" or an array like ["node", "index.js"], not %s`, describe(v))
}

// UnmarshalTOML reads ext: an array (["js", ".json"]) or the comma string
// nodemon users type ("js, .json"). Entries lose spaces and a leading dot and
// are lower-cased. An empty array or string is kept as an empty, non-nil List:
// "watch every file", unlike an unset ext, which lets the interpreter choose.
func (l *List) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		*l = ParseExt(v)
		return nil
	case []any:
		words, err := stringArray(v, `["js", "json"]`)
		if err != nil {
			return err
		}
		out := List{}
		for _, w := range words {
			out = append(out, normExt(w))
		}
		*l = out
		return nil
	}
	return fmt.Errorf(`want an array like ["js", "json"] or a string like "js,json", not %s`, describe(v))
}

// ParseExt reads an extension list as the --ext flag and the ext key take it
// ("js, .json,TS" → js json ts), split on commas or spaces as nodemon
// users write it (-e "js json"). Empty entries are dropped; the result is
// never nil.
func ParseExt(s string) List {
	out := List{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
		if w = normExt(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// strs is watch and ignore in the file: an array of strings, or one plain
// string, which nodemon users write for a single folder. It is not split on
// commas, since paths and globs ("{a,b}") may hold them. An empty array is nil.
type strs []string

// UnmarshalTOML accepts a string or an array of strings.
func (s *strs) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		*s = strs{v}
		return nil
	case []any:
		words, err := stringArray(v, `["src", "lib"]`)
		if err != nil {
			return err
		}
		*s = words
		return nil
	}
	return fmt.Errorf(`want an array of strings like ["src", "lib"], not %s`, describe(v))
}

// stringArray converts a TOML array that must hold only strings.
func stringArray(v []any, example string) ([]string, error) {
	if len(v) == 0 {
		return nil, nil
	}
	out := make([]string, len(v))
	for i, e := range v {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("element %d is %s; write an array of strings like %s", i+1, describe(e), example)
		}
		out[i] = s
	}
	return out, nil
}

// describe names a decoded TOML value's type for error messages.
func describe(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("a string (%q)", v)
	case int64, float64:
		return fmt.Sprintf("a number (%v)", v)
	case bool:
		return fmt.Sprintf("a boolean (%v)", v)
	case []any:
		return "an array"
	case []map[string]any:
		return "an array of tables"
	case map[string]any:
		return "a table"
	case nil:
		return "nothing"
	}
	return "a date or time"
}
