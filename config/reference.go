package config

import (
	"fmt"
	"strconv"
	"strings"
)

// ReferenceFile is where Reference is kept, relative to the repository root.
const ReferenceFile = "docs/config.md"

// RegenerateHint says how to bring ReferenceFile up to date.
const RegenerateHint = "run make docs (go run ./internal/cmd/docgen)"

// Reference returns docs/config.md: every key of Keys with its type,
// default, flags and help, then the file `reload init` writes. It is built
// from the same table as the flags, --help and `reload init`, so the page
// cannot drift from them (a test holds the file to it).
func Reference() string {
	var b strings.Builder
	b.WriteString(`# .reload.toml reference

<!-- Generated from config/keys.go by ` + "`make docs`" + `; do not edit by hand. -->

Every setting is a key in ` + "`.reload.toml`" + ` and, for most, a flag. Settings
apply in this order: the built-in defaults, then the file, then the flags you
typed. ` + "`reload init`" + ` writes the file with every key at its default (see
[the end of this page](#what-reload-init-writes)); ` + "`reload --dump`" + ` prints
the settings in effect, each with where it came from.

- The file is looked for from the current folder upward, stopping at the
  first folder holding ` + "`.git`" + ` or at your home folder; its folder is the
  project root, and paths and globs are relative to it. ` + "`--config FILE`" + `
  names another file (a ` + "`.json`" + ` one is read as nodemon's). Without a
  ` + "`.reload.toml`" + `, nodemon's ` + "`nodemon.json`" + ` or ` + "`package.json`" + `
  ` + "`nodemonConfig`" + ` is read from the same search.
- Durations are strings with a unit: ` + "`\"500ms\"`, `\"2s\"`, `\"1m\"`" + `. A bare
  number is an error in the file; on the command line ` + "`--delay 2`" + ` is
  seconds and ` + "`--poll 1000`" + ` milliseconds, as nodemon reads them.
- A mistake (an unknown key, a wrong type, a duration without a unit, a bad
  glob or signal name) stops reload before it starts anything, with one line
  per problem naming the file, the line and the key, and exit status 2:
  ` + "`" + `reload: /home/you/app/.reload.toml:7: key "delay": "100" has no unit; write "100s" (or "100ms")` + "`" + `.
- A flag replaces the file's value, except where it says it adds to it;
  ` + "`--env`" + ` and ` + "`--hook`" + ` add or replace entries name by name.
- Flags that set no key: ` + "`-c`, `--config FILE`" + ` (the file to read; its folder
  is the project root), ` + "`--cwd DIR`" + ` (run as if started there), ` + "`--dump`" + `,
  ` + "`--no-color`" + ` (also when ` + "`NO_COLOR`" + ` is set), ` + "`--version`" + ` and ` + "`--help`" + `.

| key | type | default | flags |
|---|---|---|---|
`)
	for _, k := range Keys {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s |\n", k.Name, anchor(k.Name), typeName(k), cell(defaultText(k)), cell(flagNames(k)))
	}
	b.WriteString("\n## Keys\n")
	for _, k := range Keys {
		if !strings.Contains(k.Name, ".") && k.kind() != kindTable {
			keyEntry(&b, k)
		}
	}
	for _, t := range Keys {
		if t.kind() != kindTable {
			continue
		}
		fmt.Fprintf(&b, "\n## `[%s]`\n\n%s\n", t.Name, t.Help)
		if len(t.Flags) > 0 {
			b.WriteString("\n")
			flagLines(&b, t)
		}
		for _, k := range Keys {
			if strings.HasPrefix(k.Name, t.Name+".") {
				keyEntry(&b, k)
			}
		}
	}
	b.WriteString("\n## What `reload init` writes\n\n```toml\n")
	b.WriteString(Template())
	b.WriteString("```\n")
	return b.String()
}

// keyEntry writes k's heading, help, type and default, and its flags.
func keyEntry(b *strings.Builder, k Key) {
	fmt.Fprintf(b, "\n### `%s`\n\n%s\n\n", k.Name, k.Help)
	fmt.Fprintf(b, "- Type: %s. Default: %s.\n", typeName(k), defaultText(k))
	if k.Name == "exec_map" {
		b.WriteString("- Built in:")
		for i, ext := range sortedKeys(DefaultExecMap()) {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(b, " `%s` → `%s`", ext, DefaultExecMap()[ext])
		}
		b.WriteString(". Entries add to these or replace them.\n")
	}
	if k.Name == "hooks" {
		fmt.Fprintf(b, "- Names: `%s`.\n", strings.Join(HookNames, "`, `"))
	}
	flagLines(b, k)
}

// flagLines writes one list item per flag of k: its names, what it sets,
// and what its help says beyond k's.
func flagLines(b *strings.Builder, k Key) {
	for _, f := range k.Flags {
		fmt.Fprintf(b, "- %s", flagName(f))
		switch {
		case f.Sets != nil:
			fmt.Fprintf(b, " sets `%s = %s`", k.Name, setsText(f.Sets))
		case f.Adds:
			b.WriteString(" adds to the file's list")
		}
		switch extra := flagExtra(f); {
		case strings.HasPrefix(extra, "(") && strings.HasSuffix(extra, ")"):
			fmt.Fprintf(b, " %s", extra) // (repeat)
		case extra != "":
			fmt.Fprintf(b, ": %s", extra)
		}
		b.WriteString("\n")
	}
}

// setsText is the value a switch sets, as TOML.
func setsText(v any) string {
	if d, ok := v.(Duration); ok {
		return strconv.Quote(d.String())
	}
	return tomlValue(v)
}

// flagExtra is what flag f's help says beyond its key's: "" when it is the
// key's help alone.
func flagExtra(f Flag) string {
	if f.Usage == "" {
		return ""
	}
	extra := strings.TrimSpace(strings.Replace(f.Usage, "%s", "", 1))
	return strings.TrimSuffix(extra, ":")
}

// flagName is "`-d`, `--delay`": the flag's short names first.
func flagName(f Flag) string {
	var short, long []string
	for _, n := range append([]string{f.Name}, f.Aliases...) {
		if len(n) == 1 {
			short = append(short, "`-"+n+"`")
		} else {
			long = append(long, "`--"+n+"`")
		}
	}
	return strings.Join(append(short, long...), ", ")
}

// flagNames lists every flag of k, or "" when only the file sets it.
func flagNames(k Key) string {
	var names []string
	for _, f := range k.Flags {
		names = append(names, flagName(f))
	}
	return strings.Join(names, "; ")
}

// typeName is how the page names k's TOML shape.
func typeName(k Key) string {
	switch k.kind() {
	case kindString:
		return "string"
	case kindBool:
		return "boolean"
	case kindInt:
		return "integer"
	case kindDuration:
		return "duration"
	case kindCommand:
		return "string or array"
	case kindStrings:
		return "array of strings"
	case kindList:
		return "array or comma string"
	case kindStringMap:
		return "table of strings"
	}
	return "table"
}

// defaultText is k's default as the page shows it.
func defaultText(k Key) string {
	if v := k.DefaultTOML(); v != "" {
		return "`" + v + "`"
	}
	switch k.Name {
	case "cmd":
		return "inferred"
	case "ext":
		return "from the interpreter"
	case "exec_map":
		return "the built-ins"
	}
	if k.kind() == kindTable {
		return "" // its keys have theirs
	}
	return "empty"
}

// anchor is the id GitHub gives k's heading: "`backoff.max`" is
// #backoffmax, "`[proxy]`" #proxy.
func anchor(name string) string {
	return strings.ReplaceAll(name, ".", "")
}

// cell makes s safe inside a Markdown table cell.
func cell(s string) string {
	if s == "" {
		return "—"
	}
	return strings.ReplaceAll(s, "|", `\|`)
}
