package config

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"

	"github.com/BurntSushi/toml"
)

// Dump writes c as .reload.toml text: every key of Keys with its value, and
// after it a comment saying where the value came from, from(path) for its
// key path ("delay"; "backoff", "max"; "env", "PORT"): "default", a file
// path, "flag --delay". An unset cmd or ext is written as a comment.
// Loading the text back gives c, so it can seed a .reload.toml.
func Dump(c Config, from func(path ...string) string) string {
	var b strings.Builder
	line := func(v any, path ...string) {
		fmt.Fprintf(&b, "%s = %s  # %s\n", toml.Key{path[len(path)-1]}, tomlValue(v), from(path...))
	}
	for _, k := range Keys {
		if strings.Contains(k.Name, ".") || k.kind() == kindTable || k.kind() == kindStringMap {
			continue
		}
		v := dumpValue(k.Field(&c))
		if v == nil {
			fmt.Fprintf(&b, "# %s is unset  # %s\n", k.Name, from(k.Name))
			continue
		}
		line(v, k.Name)
	}
	for _, table := range []string{"backoff", "proxy"} {
		fmt.Fprintf(&b, "\n[%s]\n", table)
		for _, k := range Keys {
			if sub, ok := strings.CutPrefix(k.Name, table+"."); ok {
				line(dumpValue(k.Field(&c)), table, sub)
			}
		}
	}
	for _, table := range []string{"env", "hooks", "exec_map"} {
		k, _ := Lookup(table)
		m := *k.Field(&c).(*map[string]string)
		if table == "hooks" && len(m) == 0 {
			// An empty table would load back as an empty map, not unset.
			fmt.Fprintf(&b, "\n# [%s] is unset  # %s\n", table, from(table))
			continue
		}
		fmt.Fprintf(&b, "\n[%s]\n", table)
		for _, name := range sortedKeys(m) {
			line(m[name], table, name)
		}
	}
	return b.String()
}

// dumpValue is the value of the field p points to as the TOML encoder
// takes it; nil for an unset cmd.
func dumpValue(p any) any {
	switch p := p.(type) {
	case *Command:
		switch {
		case p.Shell != "":
			return p.Shell
		case len(p.Argv) > 0:
			return p.Argv
		}
		return nil
	case *List:
		if *p == nil {
			return nil
		}
		return []string(*p)
	case *[]string:
		return append([]string{}, *p...) // the encoder drops nil slices
	case *Duration:
		return p.String()
	}
	return reflect.ValueOf(p).Elem().Interface()
}

// tomlValue is v written as a TOML value.
func tomlValue(v any) string {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(map[string]any{"v": v}); err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v)) // every type dumpValue returns encodes
	}
	return strings.TrimSpace(strings.TrimPrefix(buf.String(), "v = "))
}

// FileKeys returns a report of which key paths ("delay"; "env", "PORT") the
// TOML file at path sets, or, for a nodemon config file (IsNodemon), the
// keys its settings set. Call it only for a file Load or LoadNodemon
// accepted.
func FileKeys(path string) (func(path ...string) bool, error) {
	if IsNodemon(path) {
		n, err := LoadNodemon(path, Default())
		return n.IsSet, err
	}
	var raw map[string]any
	md, err := toml.DecodeFile(path, &raw)
	if err != nil {
		return nil, err
	}
	return md.IsDefined, nil
}
