package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, size int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Repeat("x", size)), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small, max, big := write("small", 10), write("max", MaxSize), write("big", MaxSize+1)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(small, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	for _, tc := range []struct {
		path   string
		follow bool
		size   int
		want   error
	}{
		{small, false, 10, nil},
		{max, false, MaxSize, nil},
		{big, true, 0, ErrTooLarge},
		{dir, true, 0, ErrNotRegular},
		{link, true, 10, nil},
		{link, false, 0, ErrSymlink},
		{filepath.Join(dir, "none"), true, 0, os.ErrNotExist},
	} {
		data, _, err := Read(tc.path, tc.follow)
		if tc.want == nil && (err != nil || len(data) != tc.size) {
			t.Errorf("Read(%s, %v): %d bytes, %v; want %d bytes", filepath.Base(tc.path), tc.follow, len(data), err, tc.size)
		}
		if tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("Read(%s, %v): %v; want %v", filepath.Base(tc.path), tc.follow, err, tc.want)
		}
	}
}
