package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/BurntSushi/toml"
)

// ErrExists is wrapped by WriteInit when the file is already there.
var ErrExists = errors.New("already exists")

// WriteInit writes Template() to dir/.reload.toml and returns its path. An
// existing file is kept unless force is set.
func WriteInit(dir string, force bool) (string, error) {
	return writeInit(dir, force, Template())
}

// writeInit writes text to dir/.reload.toml as WriteInit describes.
func writeInit(dir string, force bool, text string) (string, error) {
	path := filepath.Join(dir, FileName)
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if !force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_EXCL // no check-then-write race
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return path, fmt.Errorf("%s %w; pass --force to overwrite it", path, ErrExists)
	}
	if err != nil {
		return path, fmt.Errorf("write %s: %w", FileName, err)
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return path, fmt.Errorf("write %s: %w", FileName, err)
	}
	return path, nil
}

// Template returns the commented .reload.toml that `reload init` writes:
// every key from Keys at its default, each after its help. Loading it
// gives exactly Default() (a test holds it to that).
func Template() string { return templateFor(Default(), nil) }

// templateFor is Template with c's values. note, if not nil, gives the
// comment to write after a key's value (or its table's header), "" for
// none.
func templateFor(c Config, note func(key string) string) string {
	var b strings.Builder
	b.WriteString(`# .reload.toml: settings for reload. Flags override them ("reload --help").
# Paths and globs are relative to this file's folder, the project root.
# Durations need a unit: "500ms", "2s", "1m".

`)
	after := func(key string) string {
		if note == nil || note(key) == "" {
			return ""
		}
		return "  # " + note(key)
	}
	// Top-level keys must come before the first [table].
	for _, k := range Keys {
		if strings.Contains(k.Name, ".") || k.kind() == kindTable || k.kind() == kindStringMap {
			continue
		}
		comment(&b, k.Help)
		v := valueTOML(k, &c)
		switch {
		case v == "" && k.Name == "cmd": // inferred unless set
			b.WriteString("# cmd = \"node index.js\"\n")
		case v == "" && k.Name == "ext": // unset lets the interpreter choose
			b.WriteString("# ext = [\"js\", \"json\"]\n")
		default:
			fmt.Fprintf(&b, "%s = %s%s\n", k.Name, v, after(k.Name))
		}
		b.WriteString("\n")
	}
	for i, table := range []string{"backoff", "proxy"} {
		if i > 0 {
			b.WriteString("\n")
		}
		for _, k := range Keys {
			switch {
			case k.Name == table:
				comment(&b, k.Help)
				fmt.Fprintf(&b, "[%s]%s\n", table, after(table))
			case strings.HasPrefix(k.Name, table+"."):
				comment(&b, k.Help)
				fmt.Fprintf(&b, "%s = %s%s\n", strings.TrimPrefix(k.Name, table+"."), valueTOML(k, &c), after(k.Name))
			}
		}
	}
	for _, t := range []struct{ name, example string }{
		{"hooks", `crash = "notify-send 'app crashed'"`},
		{"env", `PORT = "3000"`},
	} {
		k, _ := Lookup(t.name)
		b.WriteString("\n")
		comment(&b, k.Help)
		m := *k.Field(&c).(*map[string]string)
		if len(m) == 0 {
			fmt.Fprintf(&b, "# [%s]\n# %s\n", t.name, t.example)
			continue
		}
		fmt.Fprintf(&b, "[%s]%s\n", t.name, after(t.name))
		tableEntries(&b, m)
	}
	b.WriteString("\n")

	em, _ := Lookup("exec_map")
	comment(&b, em.Help+` Entries add to or replace the built-in ones listed here; removing a line does not remove the built-in.`)
	fmt.Fprintf(&b, "[exec_map]%s\n", after("exec_map"))
	tableEntries(&b, c.ExecMap)
	return b.String()
}

// valueTOML is the value of k in c as TOML source; "" for an unset cmd or
// ext. A default value is written as DefaultTOML writes it.
func valueTOML(k Key, c *Config) string {
	d := Default()
	p := k.Field(c)
	if reflect.DeepEqual(reflect.ValueOf(p).Elem().Interface(), reflect.ValueOf(k.Field(&d)).Elem().Interface()) {
		return k.DefaultTOML()
	}
	v := dumpValue(p)
	if v == nil {
		return ""
	}
	return tomlValue(v)
}

// tableEntries writes m's entries as name = "value" lines, sorted.
func tableEntries(b *strings.Builder, m map[string]string) {
	for _, name := range sortedKeys(m) {
		fmt.Fprintf(b, "%s = %s\n", toml.Key{name}, tomlValue(m[name]))
	}
}

// comment writes text as "# " lines of at most about 78 columns.
func comment(b *strings.Builder, text string) {
	line := "#"
	for _, w := range strings.Fields(text) {
		if len(line)+1+len(w) > 78 && line != "#" {
			b.WriteString(line + "\n")
			line = "#"
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
}
