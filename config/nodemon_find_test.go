package config

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFindNodemon: nodemon's settings are looked for as .reload.toml is,
// folder by folder with the same stops: nodemon.json first, then a
// package.json that has "nodemonConfig".
func TestFindNodemon(t *testing.T) {
	t.Parallel()
	const with, without, broken = `{"nodemonConfig": {}}`, `{"name": "x", "description": "no \"nodemonConfig\" here"}`, `{"nodemonConfig": {,}}`
	tests := []struct {
		name  string
		files map[string]string // path → content; a path ending in "/" is a folder
		start string
		home  string // relative to the root; "" means no home
		want  string // relative to the root; "" means not found
	}{
		{"nodemon.json here", map[string]string{"p/nodemon.json": "{}"}, "p", "", "p/nodemon.json"},
		{"nodemon.json in a parent", map[string]string{"nodemon.json": "{}", "a/b/": ""}, "a/b", "", "nodemon.json"},
		{"nodemon.json before package.json", map[string]string{"p/nodemon.json": "{}", "p/package.json": with}, "p", "", "p/nodemon.json"},
		{"package.json with nodemonConfig", map[string]string{"p/package.json": with}, "p", "", "p/package.json"},
		{"package.json without it is passed by", map[string]string{"nodemon.json": "{}", "p/package.json": without}, "p", "", "nodemon.json"},
		{"a broken package.json that names it is found", map[string]string{"p/package.json": broken}, "p", "", "p/package.json"},
		{"nearest wins", map[string]string{"nodemon.json": "{}", "a/package.json": with, "a/b/": ""}, "a/b", "", "a/package.json"},
		{"stops at the repository root", map[string]string{"nodemon.json": "{}", "repo/.git/": "", "repo/src/": ""}, "repo/src", "", ""},
		{"checks the repository root", map[string]string{"repo/nodemon.json": "{}", "repo/.git/": "", "repo/src/": ""}, "repo/src", "", "repo/nodemon.json"},
		{"stops at home", map[string]string{"nodemon.json": "{}", "home/p/": ""}, "home/p", "home", ""},
		{"checks home", map[string]string{"home/nodemon.json": "{}", "home/p/": ""}, "home/p", "home", "home/nodemon.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			for p, content := range tt.files {
				full := filepath.Join(root, filepath.FromSlash(p))
				if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
					t.Fatal(err)
				}
				if p[len(p)-1] == '/' {
					if err := os.MkdirAll(full, 0o755); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			home := ""
			if tt.home != "" {
				home = filepath.Join(root, tt.home)
			}
			got, err := FindNodemon(filepath.Join(root, tt.start), home)
			if err != nil {
				t.Fatal(err)
			}
			want := ""
			if tt.want != "" {
				want = filepath.Join(root, filepath.FromSlash(tt.want))
			}
			if got != want {
				t.Errorf("FindNodemon = %q, want %q", got, want)
			}
		})
	}
}
