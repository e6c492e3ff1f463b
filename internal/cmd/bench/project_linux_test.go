package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProjectSave checks every kind of save leaves value.js holding its
// number, the atomic one no temp file, and that save-all and the storm
// write their other files too.
func TestProjectSave(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p, err := genProject(filepath.Join(dir, "app"), filepath.Join(dir, "starts.log"), 120)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Storm) != 120 {
		t.Fatalf("%d storm files, want 120", len(p.Storm))
	}
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(p.Root, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	app := read("index.js")
	for _, f := range parts {
		if !strings.Contains(app, `"./`+f+`"`) {
			t.Errorf("index.js does not load %s", f)
		}
	}
	for kind := range numKinds {
		n := int(kind) + 1
		if _, err := p.save(kind, n); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if got, want := read("value.js"), string(valueSource(n)); got != want {
			t.Errorf("%s: value.js = %q, want %q", kind, got, want)
		}
	}
	if _, err := os.Stat(filepath.Join(p.Root, ".value.js.tmp")); !os.IsNotExist(err) {
		t.Errorf("the atomic save left its temp file: %v", err)
	}
	if got := read("p4.js"); got != string(valueSource(int(saveAll)+1)) {
		t.Errorf("save-all did not write p4.js: %q", got)
	}
	if got := read(p.Storm[119]); got != "// 4\n" {
		t.Errorf("the storm did not write its last file: %q", got)
	}
}
