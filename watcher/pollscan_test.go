package watcher

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestDropTakesTheWholeTreeOnly: a folder's subfolders do not always sort
// right after it ("d-2" and "d.x" come between "d" and "d/a").
func TestDropTakesTheWholeTreeOnly(t *testing.T) {
	t.Parallel()
	s := newScanner()
	sep := string(filepath.Separator)
	all := []string{"r", "r" + sep + "d", "r" + sep + "d-2", "r" + sep + "d.x", "r" + sep + "d" + sep + "a",
		"r" + sep + "d" + sep + "a" + sep + "b", "r" + sep + "d" + sep + "z", "r" + sep + "e"}
	for _, d := range all {
		s.apply(pollReq{dir: d, snap: &snapshot{}})
	}
	s.drop("r" + sep + "d")
	want := []string{"r", "r" + sep + "d-2", "r" + sep + "d.x", "r" + sep + "e"}
	if !slices.Equal(s.order, want) || len(s.dirs) != len(want) {
		t.Fatalf("after dropping r/d: order %q (%d snapshots), want %q", s.order, len(s.dirs), want)
	}
}
