package runner

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/reload-dev/reload/internal/status"
)

func TestWithChanges(t *testing.T) {
	t.Parallel()
	base := []string{"PATH=/bin", "RELOAD_CHANGED_FILE=/parent/changed", "RELOAD_CHANGED_TRUNCATED=9"} // from a reload above
	for _, tc := range []struct {
		name    string
		file    string
		changed []string
		want    []string
	}{
		{"first start", "/tmp/r/changed", nil, []string{"PATH=/bin", "RELOAD_CHANGED_FILE=/tmp/r/changed"}},
		{"fits", "/tmp/r/changed", []string{"a", "b"}, []string{"PATH=/bin", "RELOAD_CHANGED_FILE=/tmp/r/changed"}},
		{"no file", "", []string{"a"}, []string{"PATH=/bin"}},
		{"exactly the cap", "f", []string{strings.Repeat("x", maxChangedEnv-2), "y"}, []string{"PATH=/bin", "RELOAD_CHANGED_FILE=f"}},
		{"one byte over", "f", []string{strings.Repeat("x", maxChangedEnv-1), "y"}, []string{"PATH=/bin", "RELOAD_CHANGED_FILE=f", "RELOAD_CHANGED_TRUNCATED=2"}},
		{"one path over", "f", []string{strings.Repeat("x", maxChangedEnv+1)}, []string{"PATH=/bin", "RELOAD_CHANGED_FILE=f", "RELOAD_CHANGED_TRUNCATED=1"}},
	} {
		if got := withChanges(base, tc.file, tc.changed); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q; want %q", tc.name, got, tc.want)
		}
	}
}

// TestChangesFile: a private folder, a complete NUL-ended list that a
// path holding the list separator cannot confuse, and nothing left behind.
func TestChangesFile(t *testing.T) {
	t.Parallel()
	c := newChanges(status.Discard())
	fi, err := os.Stat(c.dir)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v; want 0700", fi.Mode().Perm())
	}
	paths := []string{"a" + string(os.PathListSeparator) + "b.js", "new\nline.js", "c.js"}
	for _, want := range [][]string{paths, nil, paths[:1]} {
		file := c.write(want)
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Split(string(data), "\x00")
		if got[len(got)-1] != "" {
			t.Fatalf("the list must end with a NUL: %q", data)
		}
		if got = got[:len(got)-1]; !slices.Equal(got, want) && len(want) > 0 {
			t.Errorf("file holds %q; want %q", got, want)
		}
		if len(want) == 0 && len(data) != 0 {
			t.Errorf("no changes: file holds %q; want it empty", data)
		}
	}
	c.close()
	if _, err := os.Stat(c.dir); !os.IsNotExist(err) {
		t.Errorf("folder %s still there after close: %v", c.dir, err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(c.dir)); slices.ContainsFunc(entries, func(e os.DirEntry) bool { return e.Name() == filepath.Base(c.dir) }) {
		t.Errorf("folder %s listed after close", c.dir)
	}
}
