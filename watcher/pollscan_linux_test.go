package watcher

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestIdleScanAllocatesNothingPerFile: polling a big tree every interval
// must not feed the garbage collector for each file when nothing changed
// (opening the folder copies its path to a C string: once per folder).
// Not parallel: AllocsPerRun counts every goroutine's allocations.
func TestIdleScanAllocatesNothingPerFile(t *testing.T) {
	root := tempRoot(t)
	for i := range 50 {
		write(t, filepath.Join(root, "src", fmt.Sprintf("f%02d.js", i)), "x")
	}
	s := newScanner()
	dir := filepath.Join(root, "src")
	snap := &snapshot{}
	if err := snap.take(&s.rd, dir); err != nil {
		t.Fatal(err)
	}
	s.apply(pollReq{dir: dir, snap: snap})
	s.look(dir, snap) // sizes the scratch buffers
	if allocs := testing.AllocsPerRun(20, func() { s.look(dir, snap) }); allocs > 1 {
		t.Errorf("looking at an unchanged folder of 50 files allocated %v times, want at most once", allocs)
	}
	if it, ok := s.peek(); ok {
		t.Errorf("an unchanged folder reported %+v", it)
	}
}
