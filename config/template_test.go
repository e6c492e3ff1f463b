package config

import (
	"errors"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestTemplateLoadsToDefault(t *testing.T) {
	t.Parallel()
	path := writeConfig(t, Template())
	// Onto an empty base, so every default must come from the template.
	got, err := Load(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := got.Validate(path); err != nil {
		t.Fatal(err)
	}
	if want := Default(); !reflect.DeepEqual(got, want) {
		t.Errorf("Template() loads to\n%+v\nwant Default()\n%+v", got, want)
	}
}

func TestTemplateHasEveryKeyWithHelp(t *testing.T) {
	t.Parallel()
	tpl := Template()
	for _, k := range Keys {
		name := k.Name
		if k.kind() == kindTable || k.kind() == kindStringMap {
			name = `\[` + name + `\]`
		} else if i := strings.LastIndex(name, "."); i >= 0 {
			name = name[i+1:]
		} else {
			name += " ="
		}
		re := regexp.MustCompile(`(?m)^# \S.*\n(# )?` + name)
		if !re.MatchString(tpl) {
			t.Errorf("key %q is not in the template after a help comment", k.Name)
		}
		if k.Help == "" {
			t.Errorf("key %q has no help", k.Name)
		}
	}
	for i, l := range strings.Split(tpl, "\n") {
		if len(l) > 80 {
			t.Errorf("template line %d is %d columns: %q", i+1, len(l), l)
		}
	}
}

// TestKeysCoverConfig holds the Keys table and the Config struct to the
// same set of TOML keys.
func TestKeysCoverConfig(t *testing.T) {
	t.Parallel()
	var tags []string
	var walk func(rt reflect.Type, prefix string)
	walk = func(rt reflect.Type, prefix string) {
		for f := range rt.Fields() {
			tag := prefix + f.Tag.Get("toml")
			tags = append(tags, tag)
			if f.Type == reflect.TypeFor[Backoff]() || f.Type == reflect.TypeFor[Proxy]() {
				walk(f.Type, tag+".")
			}
		}
	}
	walk(reflect.TypeFor[Config](), "")
	var names []string
	var c Config
	for _, k := range Keys {
		names = append(names, k.Name)
		table, _, _ := strings.Cut(k.Name, ".")
		parent, _ := Lookup(table) // --proxy sets proxy.listen and proxy.target
		if len(k.Flags)+len(parent.Flags) == 0 && !strings.HasPrefix(k.Name, "backoff") && k.Name != "exec_map" && k.Name != "hooks" {
			t.Errorf("key %q has no flag", k.Name)
		}
		if k.Field(&c) == nil || k.kind() == kindUnknown {
			t.Errorf("key %q leads to no Config field of a known type", k.Name)
		}
	}
	slices.Sort(tags)
	slices.Sort(names)
	if !slices.Equal(tags, names) {
		t.Errorf("Config keys %q\nKeys table %q", tags, names)
	}
	if _, ok := Lookup("backoff.max"); !ok {
		t.Error("Lookup(backoff.max) failed")
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup(nope) succeeded")
	}
}

func TestWriteInit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	read := func(p string) string {
		t.Helper()
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	path, err := WriteInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := read(path); got != Template() {
		t.Fatalf("wrote %q", got)
	}
	if err := os.WriteFile(path, []byte("clear = true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = WriteInit(dir, false)
	if !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "--force") {
		t.Errorf("second WriteInit: %v; want ErrExists naming --force", err)
	}
	if got := read(path); got != "clear = true\n" {
		t.Errorf("WriteInit without force changed the file to %q", got)
	}
	if _, err := WriteInit(dir, true); err != nil {
		t.Fatal(err)
	}
	if got := read(path); got != Template() {
		t.Errorf("WriteInit with force left %q", got)
	}
}
