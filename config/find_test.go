package config

import (
	"os"
	"path/filepath"
	"testing"
)

// tree makes dirs and files (names ending in "/" are dirs) under a temp root.
func tree(t *testing.T, paths ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, p := range paths {
		full := filepath.Join(root, filepath.FromSlash(p))
		if p[len(p)-1] == '/' {
			if err := os.MkdirAll(full, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestFind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		paths []string
		start string
		home  string // relative to the root; "" means no home
		want  string // relative to the root; "" means not found
	}{
		{"in the start folder", []string{"p/.reload.toml", "p/.git/"}, "p", "", "p/.reload.toml"},
		{"in a parent", []string{".reload.toml", "a/b/c/"}, "a/b/c", "", ".reload.toml"},
		{"nearest wins", []string{".reload.toml", "a/.reload.toml", "a/b/"}, "a/b", "", "a/.reload.toml"},
		{"stops at the repository root", []string{".reload.toml", "repo/.git/", "repo/src/"}, "repo/src", "", ""},
		{"checks the repository root", []string{"repo/.reload.toml", "repo/.git/", "repo/src/"}, "repo/src", "", "repo/.reload.toml"},
		{"a .git file stops too (worktree)", []string{".reload.toml", "wt/.git", "wt/src/"}, "wt/src", "", ""},
		{"stops at home", []string{".reload.toml", "home/proj/src/"}, "home/proj/src", "home", ""},
		{"checks home", []string{"home/.reload.toml", "home/proj/"}, "home/proj", "home", "home/.reload.toml"},
		{"start outside home goes on up", []string{".reload.toml", "home/", "srv/app/"}, "srv/app", "home", ".reload.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := tree(t, tt.paths...)
			home := ""
			if tt.home != "" {
				home = filepath.Join(root, tt.home)
			}
			got, err := Find(filepath.Join(root, tt.start), home)
			if err != nil {
				t.Fatal(err)
			}
			want := ""
			if tt.want != "" {
				want = filepath.Join(root, filepath.FromSlash(tt.want))
			}
			if got != want {
				t.Errorf("Find = %q, want %q", got, want)
			}
		})
	}
}

func TestFindStopsAtHomeReachedThroughSymlink(t *testing.T) {
	t.Parallel()
	root := tree(t, ".reload.toml", "real/proj/")
	link := filepath.Join(root, "link")
	if err := os.Symlink(filepath.Join(root, "real"), link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	got, err := Find(filepath.Join(root, "real", "proj"), link)
	if err != nil || got != "" {
		t.Errorf("Find = %q, %v; want it to stop at home (given as a symlink)", got, err)
	}
}
