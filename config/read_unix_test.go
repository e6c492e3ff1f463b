//go:build unix

package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/reload-dev/reload/internal/safefile"
)

// TestLoadRefusesFilesThatAreNotSmallRegularFiles: a FIFO (a read would wait
// for a writer forever), a symlink to /dev/zero (a read would never end) and
// a file over 1 MiB are refused with one line naming the file.
func TestLoadRefusesFilesThatAreNotSmallRegularFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	zero := filepath.Join(dir, "zero.toml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, []byte(strings.Repeat("# padding\n", safefile.MaxSize/10+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.toml") // a symlink to a regular file is fine
	if err := os.Symlink(writeConfig(t, "delay = \"1s\"\n"), link); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{fifo, "config file " + fifo + " is not a regular file (it is a named pipe)"},
		{zero, "config file " + zero + " is not a regular file (it is a device)"},
		{big, "config file " + big + " is larger than 1 MiB"},
	} {
		_, err := Load(tc.path, Default())
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Load(%s): got %v, want one line starting %q", filepath.Base(tc.path), err, tc.want)
		}
		problems(t, err) // a *config.Error: exit status 2
	}
	if c, err := Load(link, Default()); err != nil || c.Delay.String() != "1s" {
		t.Errorf("Load(symlink to a regular file): %v, delay %v", err, c.Delay)
	}
}
