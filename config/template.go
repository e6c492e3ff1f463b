package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrExists is wrapped by WriteInit when the file is already there.
var ErrExists = errors.New("already exists")

// WriteInit writes Template() to dir/.reload.toml and returns its path. An
// existing file is kept unless force is set.
func WriteInit(dir string, force bool) (string, error) {
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
	_, err = f.WriteString(Template())
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
func Template() string {
	var b strings.Builder
	b.WriteString(`# .reload.toml: settings for reload. Flags override them ("reload --help").
# Paths and globs are relative to this file's folder, the project root.
# Durations need a unit: "500ms", "2s", "1m".

`)
	// Top-level keys must come before the first [table].
	for _, k := range Keys {
		if strings.Contains(k.Name, ".") || k.kind() == kindTable || k.kind() == kindStringMap {
			continue
		}
		comment(&b, k.Help)
		switch k.Name {
		case "cmd": // inferred unless set
			b.WriteString("# cmd = \"node index.js\"\n")
		case "ext": // unset lets the interpreter choose
			b.WriteString("# ext = [\"js\", \"json\"]\n")
		default:
			fmt.Fprintf(&b, "%s = %s\n", k.Name, k.DefaultTOML())
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
				fmt.Fprintf(&b, "[%s]\n", table)
			case strings.HasPrefix(k.Name, table+"."):
				comment(&b, k.Help)
				fmt.Fprintf(&b, "%s = %s\n", strings.TrimPrefix(k.Name, table+"."), k.DefaultTOML())
			}
		}
	}
	env, _ := Lookup("env")
	b.WriteString("\n")
	comment(&b, env.Help)
	b.WriteString("# [env]\n# PORT = \"3000\"\n\n")

	hooks, _ := Lookup("hooks")
	comment(&b, hooks.Help)
	b.WriteString("# [hooks]\n# crash = \"notify-send 'app crashed'\"\n\n")

	em, _ := Lookup("exec_map")
	comment(&b, em.Help+` Entries add to or replace the built-in ones listed here; removing a line does not remove the built-in.`)
	b.WriteString("[exec_map]\n")
	m := DefaultExecMap()
	for _, ext := range sortedKeys(m) {
		fmt.Fprintf(&b, "%s = %q\n", ext, m[ext])
	}
	return b.String()
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
