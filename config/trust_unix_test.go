//go:build unix

package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stranger is a uid no one on the test machine uses.
const stranger = 12345

// TestLoadFoundChecksTheOwner: a config file found by the search is used
// only when it belongs to the user running reload or to the owner of the
// folder reload started in, or its folder is listed as trusted.
func TestLoadFoundChecksTheOwner(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("giving files to another user needs root")
	}
	chown := func(p string) {
		t.Helper()
		if err := os.Lchown(p, stranger, stranger); err != nil {
			t.Fatal(err)
		}
	}
	// /planted/.reload.toml belongs to a stranger; reload starts in /planted/mine.
	planted := tree(t, ".reload.toml", "mine/")
	chown(filepath.Join(planted, FileName))
	// /theirs and its .reload.toml both belong to the stranger: a bind-mounted project.
	theirs := tree(t, ".reload.toml")
	chown(theirs)
	chown(filepath.Join(theirs, FileName))
	// /linked/.reload.toml is the stranger's symlink to a file of ours.
	linked := tree(t, "ours.toml", "mine/")
	if err := os.Symlink("ours.toml", filepath.Join(linked, FileName)); err != nil {
		t.Fatal(err)
	}
	chown(filepath.Join(linked, FileName))

	for _, tc := range []struct {
		name, file string
		trust      Trust
		want       string // "" means accepted
	}{
		{"planted above", filepath.Join(planted, FileName), Trust{StartDir: filepath.Join(planted, "mine")}, "belongs to uid 12345, not to you"},
		{"listed as trusted", filepath.Join(planted, FileName), Trust{StartDir: filepath.Join(planted, "mine"), Dirs: []string{"", "/nowhere", planted}}, ""},
		{"owner of the start folder", filepath.Join(theirs, FileName), Trust{StartDir: theirs}, ""},
		{"a stranger's symlink", filepath.Join(linked, FileName), Trust{StartDir: filepath.Join(linked, "mine")}, "is a symlink that belongs to uid 12345"},
	} {
		_, err := LoadFound(tc.file, Default(), tc.trust)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v; want it accepted", tc.name, err)
		case tc.want != "" && err == nil:
			t.Errorf("%s: accepted; want it refused", tc.name)
		case tc.want != "":
			msg := problems(t, err)[0].Error()
			for _, w := range []string{tc.file + ": ", tc.want, "--config " + tc.file, "add " + filepath.Dir(tc.file) + " to RELOAD_TRUSTED_DIRS"} {
				if !strings.Contains(msg, w) {
					t.Errorf("%s: %q lacks %q", tc.name, msg, w)
				}
			}
		}
	}
	// Load, for --config, trusts the file it is given.
	if _, err := Load(filepath.Join(planted, FileName), Default()); err != nil {
		t.Errorf("Load of a stranger's file given explicitly: %v", err)
	}
}
