//go:build unix

package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestLoadNodemonFoundChecksTheOwner: a nodemon.json or package.json that
// another user planted above the start folder is refused as a .reload.toml
// would be; given with --config (LoadNodemon), it is used.
func TestLoadNodemonFoundChecksTheOwner(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("giving files to another user needs root")
	}
	for _, name := range []string{NodemonFile, packageJSON} {
		planted := tree(t, "mine/")
		file := filepath.Join(planted, name)
		if err := os.WriteFile(file, []byte(`{"nodemonConfig": {"exec": "evil"}, "exec": "evil"}`), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Lchown(file, stranger, stranger); err != nil {
			t.Fatal(err)
		}
		mine := filepath.Join(planted, "mine")
		found, err := FindNodemon(mine, "")
		if err != nil || found != file {
			t.Fatalf("FindNodemon = %q, %v; want %s", found, err, file)
		}
		_, err = LoadNodemonFound(found, Default(), Trust{StartDir: mine})
		if err == nil {
			t.Fatalf("%s: accepted; want it refused", name)
		}
		msg := problems(t, err)[0].Error()
		for _, w := range []string{file + ": ", "belongs to uid 12345, not to you", "--config " + file, "RELOAD_TRUSTED_DIRS"} {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: %q lacks %q", name, msg, w)
			}
		}
		if _, err := LoadNodemonFound(found, Default(), Trust{StartDir: mine, Dirs: []string{planted}}); err != nil {
			t.Errorf("%s in a trusted folder: %v", name, err)
		}
		if _, err := LoadNodemon(found, Default()); err != nil {
			t.Errorf("%s given explicitly: %v", name, err)
		}
	}
}

// TestLoadNodemonRefusesAFIFO: a nodemon.json that is a named pipe is
// refused before it is read, so it cannot hang reload.
func TestLoadNodemonRefusesAFIFO(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), NodemonFile)
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip(err)
	}
	_, err := LoadNodemon(p, Default())
	if err == nil || !strings.Contains(err.Error(), "is not a regular file (it is a named pipe); a config file must be a regular JSON file") {
		t.Errorf("LoadNodemon of a FIFO: %v", err)
	}
}
