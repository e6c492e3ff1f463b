//go:build unix

package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadRefusesFIFOAndDevices: a FIFO with no writer and a symlink to
// /dev/zero are refused at once, not read (a hang, or memory without end).
func TestReadRefusesFIFOAndDevices(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	zero := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path   string
		follow bool
		want   error
	}{
		{fifo, false, ErrNotRegular},
		{fifo, true, ErrNotRegular},
		{zero, true, ErrNotRegular},
		{zero, false, ErrSymlink},
		{"/dev/zero", true, ErrNotRegular},
	} {
		if _, _, err := Read(tc.path, tc.follow); !errors.Is(err, tc.want) {
			t.Errorf("Read(%s, %v): %v; want %v", tc.path, tc.follow, err, tc.want)
		}
	}
}
