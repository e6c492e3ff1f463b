package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReferenceUpToDate holds docs/config.md to what Reference writes, so
// a key, flag or default changed in keys.go cannot leave the page behind.
func TestReferenceUpToDate(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", filepath.FromSlash(ReferenceFile))
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; %s", err, RegenerateHint)
	}
	if want := Reference(); string(got) != want {
		line := 1
		for i := 0; i < len(want) && i < len(got) && want[i] == got[i]; i++ {
			if want[i] == '\n' {
				line++
			}
		}
		t.Fatalf("%s is out of date (first difference on line %d); %s", ReferenceFile, line, RegenerateHint)
	}
}

// TestReferenceNamesEveryKeyAndFlag: each key has its heading, and each
// flag its name, with the default reload init writes.
func TestReferenceNamesEveryKeyAndFlag(t *testing.T) {
	t.Parallel()
	ref := Reference()
	for _, k := range Keys {
		if !strings.Contains(ref, "`"+k.Name+"`") {
			t.Errorf("no heading for key %s", k.Name)
		}
		if d := k.DefaultTOML(); d != "" && !strings.Contains(ref, "`"+d+"`") {
			t.Errorf("key %s: default %s not shown", k.Name, d)
		}
		for _, f := range k.Flags {
			for _, n := range append([]string{f.Name}, f.Aliases...) {
				dashes := "--"
				if len(n) == 1 {
					dashes = "-"
				}
				if !strings.Contains(ref, "`"+dashes+n+"`") {
					t.Errorf("key %s: flag %s%s not named", k.Name, dashes, n)
				}
			}
		}
	}
	if !strings.Contains(ref, Template()) {
		t.Error("the reload init file is not on the page")
	}
}
