package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Field returns a pointer to the field of c that k names (*string, *bool,
// *int, *Duration, *[]string, *List, *Command, *map[string]string, *Backoff
// or *Proxy), found by the fields' toml tags; nil if there is none (a test
// holds every key to a field).
func (k Key) Field(c *Config) any {
	v, ok := fieldByName(reflect.ValueOf(c).Elem(), k.Name)
	if !ok {
		return nil
	}
	return v.Addr().Interface()
}

// fieldByName follows a dotted key through toml tags.
func fieldByName(v reflect.Value, name string) (reflect.Value, bool) {
	for part := range strings.SplitSeq(name, ".") {
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, false
		}
		found := false
		for i := range v.NumField() {
			if v.Type().Field(i).Tag.Get("toml") == part {
				v, found = v.Field(i), true
				break
			}
		}
		if !found {
			return reflect.Value{}, false
		}
	}
	return v, true
}

// kind is the TOML shape a key accepts, from its field's type.
func (k Key) kind() kind {
	var c Config
	switch k.Field(&c).(type) {
	case *string:
		return kindString
	case *bool:
		return kindBool
	case *int:
		return kindInt
	case *Duration:
		return kindDuration
	case *Command:
		return kindCommand
	case *[]string:
		return kindStrings
	case *List:
		return kindList
	case *Backoff, *Proxy:
		return kindTable
	case *map[string]string:
		return kindStringMap
	}
	return kindUnknown
}

// kind is the TOML shape a key accepts; checked before decoding for clear messages.
type kind int

const (
	kindUnknown   kind = iota
	kindString         // "text"
	kindBool           // true / false
	kindInt            // 3
	kindDuration       // "500ms"
	kindCommand        // "sh string" or ["argv", "..."]
	kindStrings        // ["a", "b"], or one plain string
	kindList           // ["js", "json"] or "js,json"
	kindTable          // [backoff]
	kindStringMap      // [env], [exec_map]: string values
)

// DefaultTOML is k's value in Default() as TOML source ("\"50ms\"", "true",
// "[\".\"]"); "" for keys whose default is not written as one value (cmd,
// ext, tables and maps).
func (k Key) DefaultTOML() string {
	d := Default()
	switch p := k.Field(&d).(type) {
	case *string:
		return strconv.Quote(*p)
	case *bool:
		return strconv.FormatBool(*p)
	case *int:
		return strconv.Itoa(*p)
	case *Duration:
		return strconv.Quote(p.String())
	case *[]string:
		q := make([]string, len(*p))
		for i, s := range *p {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	return ""
}

// DefaultText is the default --help shows for flag f of k: k's value in
// Default() ("50ms", "SIGTERM"), or f.ZeroText when that is its type's zero
// value. Only keys of one plain value (string, number, duration) show one.
func (k Key) DefaultText(f Flag) string {
	d := Default()
	var text string
	var zero bool
	switch p := k.Field(&d).(type) {
	case *string:
		text, zero = *p, *p == ""
	case *int:
		text, zero = strconv.Itoa(*p), *p == 0
	case *Duration:
		text, zero = p.String(), p.Duration == 0
	default:
		return ""
	}
	if zero {
		return f.ZeroText
	}
	return text
}

// Usage is f's help text, built from k's Help.
func (k Key) Usage(f Flag) string {
	if f.Usage == "" {
		return k.Help
	}
	if strings.Contains(f.Usage, "%s") {
		return fmt.Sprintf(f.Usage, k.Help)
	}
	return f.Usage
}

// flagFor names the flag ("--delay") a value of the key at path came from
// when it came from one: the key's first flag that takes a value, or its
// table's ("--proxy" sets proxy.listen, "--env" env.PORT); "" when none does.
func flagFor(path ...string) string {
	for n := len(path); n > 0; n-- {
		k, _ := Lookup(strings.Join(path[:n], "."))
		for _, f := range k.Flags {
			if f.Sets == nil {
				return "--" + f.Name
			}
		}
	}
	return ""
}
