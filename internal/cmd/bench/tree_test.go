package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenTree checks the counts, that Deepest is the .js file a sorted walk
// reaches last at the greatest depth, and that the files the measurements
// write to play one role each.
func TestGenTree(t *testing.T) {
	t.Parallel()
	root := filepath.Join(t.TempDir(), "tree")
	spec := treeSpec{Files: 1000, Dirs: 50, Modules: 250, Fanout: 4}
	tr, err := genTree(context.Background(), root, "/tmp/starts.log", spec, 5)
	if err != nil {
		t.Fatal(err)
	}
	files, dirs, maxDepth, lastDeep := 0, 0, -1, ""
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			dirs++
			return nil
		}
		files++
		if strings.HasPrefix(rel, "node_modules") || rel == "index.js" || rel == "value.js" || filepath.Ext(rel) != ".js" {
			return nil
		}
		if depth := strings.Count(rel, string(filepath.Separator)); depth >= maxDepth {
			maxDepth, lastDeep = depth, rel
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != tr.Files || files != spec.Files+2+spec.Modules {
		t.Errorf("walk found %d files; tree says %d; want %d", files, tr.Files, spec.Files+2+spec.Modules)
	}
	if dirs != tr.Dirs || dirs != spec.Dirs+1+2*3 { // node_modules + 3 packages of 2 folders
		t.Errorf("walk found %d folders; tree says %d; want %d", dirs, tr.Dirs, spec.Dirs+7)
	}
	if tr.Deepest != lastDeep || maxDepth < 2 {
		t.Errorf("Deepest = %q; the walk's last .js at depth %d is %q", tr.Deepest, maxDepth, lastDeep)
	}
	seen := map[string]string{}
	roles := map[string][]string{"deepest": {tr.Deepest}, "sentinel": {tr.Sentinel}, "probe": tr.Probes, "burst": tr.Burst}
	for role, fs := range roles {
		for _, f := range fs {
			if other, dup := seen[f]; dup {
				t.Errorf("%s is both %s and %s", f, other, role)
			}
			seen[f] = role
			if _, err := os.Stat(filepath.Join(root, f)); err != nil || filepath.Ext(f) != ".js" {
				t.Errorf("%s file %s: %v (want an existing .js file)", role, f, err)
			}
		}
	}
	if len(tr.Probes) != 5 || len(seen) != spec.Files*3/5 {
		t.Errorf("%d probes and %d files with a role; want 5 and every .js file (%d)", len(tr.Probes), len(seen), spec.Files*3/5)
	}
	app, err := os.ReadFile(filepath.Join(root, "index.js"))
	if err != nil || !strings.Contains(string(app), `"/tmp/starts.log"`) {
		t.Errorf("index.js does not name the start log: %v\n%s", err, app)
	}
	for _, f := range append([]string{tr.Deepest, tr.Sentinel}, tr.Probes...) {
		if !strings.Contains(string(app), `"./`+filepath.ToSlash(f)+`"`) {
			t.Errorf("index.js does not load %s, so node --watch would not restart on it", f)
		}
	}
}
