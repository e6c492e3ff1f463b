//go:build unix

package runner

import (
	"github.com/reload-dev/reload/internal/trigger"

	"os"
	"path/filepath"
	"testing"
)

// TestChangedFileThroughRun: the app reads every changed path from
// RELOAD_CHANGED_FILE, and the folder is gone once Run returns.
func TestChangedFileThroughRun(t *testing.T) {
	r := startRun(t, shOptions(`echo "ready pid=$$ file=$RELOAD_CHANGED_FILE n=$(tr -cd '\000' < "$RELOAD_CHANGED_FILE" | wc -c)"; exec sleep 100`))
	first := r.ready()
	if first["n"] != "0" || first["file"] == "" {
		t.Fatalf("first start: want an empty RELOAD_CHANGED_FILE, got %v", first)
	}
	r.send(trigger.Trigger{Paths: []string{"a:b.js", "c.js", "d.js"}})
	if got := r.ready(); got["n"] != "3" || got["file"] != first["file"] {
		t.Fatalf("after a change of 3 paths: %v", got)
	}
	r.cancel()
	r.result()
	if _, err := os.Stat(filepath.Dir(first["file"])); !os.IsNotExist(err) {
		t.Errorf("RELOAD_CHANGED_FILE's folder is still there after Run returned: %v", err)
	}
}
