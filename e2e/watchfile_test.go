//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWatchFile: --watch FILE restarts the app only when that file changes:
// created (it need not exist at the start, only its folder), written,
// deleted and created again. Nothing else in its folder counts.
func TestWatchFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", readyApp)
	trigger := filepath.Join(dir, "sync", ".restart")
	if err := os.Mkdir(filepath.Dir(trigger), 0o755); err != nil {
		t.Fatal(err)
	}
	p := startReload(t, dir, "--watch", trigger, "--", "sh", "app.sh")
	if got := p.ready()["restarts"]; got != "0" {
		t.Fatalf("first start: restarts=%s", got)
	}
	waitFor(t, p.errs, ".restart does not exist yet")

	writeFile(t, dir, "app.sh", readyApp+"\n") // the project's files are not watched
	writeFile(t, dir, "sync/other.js", "x")    // nor is the rest of the trigger's folder
	writeFile(t, dir, "sync/.restart", "")
	if f := p.ready(); f["restarts"] != "1" || !strings.HasSuffix(f["changed"], ".restart") {
		t.Fatalf("after creating the trigger: %v, want restarts=1 changed=…/.restart", f)
	}
	writeFile(t, dir, "sync/.restart", "again")
	if got := p.ready()["restarts"]; got != "2" {
		t.Fatalf("after writing the trigger: restarts=%s, want 2", got)
	}
	if err := os.Remove(trigger); err != nil {
		t.Fatal(err)
	}
	if got := p.ready()["restarts"]; got != "3" {
		t.Fatalf("after deleting the trigger: restarts=%s, want 3", got)
	}
	writeFile(t, dir, "sync/other.js", "y")
	writeFile(t, dir, "sync/.restart", "back")
	if got := p.ready()["restarts"]; got != "4" {
		t.Fatalf("after creating the trigger again: restarts=%s, want 4 (and nothing for other.js)", got)
	}
}

// TestWatchFileFolderMissing: --watch of a path whose folder is missing too
// is a one-line usage error, as before.
func TestWatchFileFolderMissing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", readyApp)
	st, stderr := runReload(t, dir, "--watch", filepath.Join(dir, "nope", ".restart"), "--", "sh", "app.sh")
	if st != 2 || !strings.Contains(stderr, "cannot watch") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("status %d, stderr %q; want 2 and one line saying it cannot watch", st, stderr)
	}
}
