//go:build unix

package e2e

import (
	"strings"
	"testing"
)

// firstOf returns which of the wanted texts appears first on ch.
func firstOf(t *testing.T, ch <-chan string, wanted ...string) string {
	t.Helper()
	for {
		l := waitFor(t, ch, "")
		for _, w := range wanted {
			if strings.Contains(l, w) {
				return w
			}
		}
	}
}

// TestChangeIsNamedBeforeASlowStop: with an app that ignores SIGTERM, the
// line naming the change comes first, not after the grace period and the kill.
func TestChangeIsNamedBeforeASlowStop(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", "trap '' TERM\n"+readyApp)
	p := startReload(t, dir, "--stop-timeout", "1s", "app.sh")
	p.ready()
	writeFile(t, dir, "lib.sh", "# changed\n")
	if got := firstOf(t, p.errs, "restarting: lib.sh changed", "killed"); got != "restarting: lib.sh changed" {
		t.Fatalf("want the change named before the kill, got %q first", got)
	}
	waitFor(t, p.errs, "killed")
	p.ready()
}

// TestFailedBuildNamesTheChange: a build that fails after a change says
// which change it was building for.
func TestFailedBuildNamesTheChange(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", readyApp)
	p := startReload(t, dir, "-b", "test ! -e broken.sh", "app.sh")
	p.ready()
	writeFile(t, dir, "broken.sh", "\n")
	if got := firstOf(t, p.errs, "broken.sh changed; building: ", "build failed"); got != "broken.sh changed; building: " {
		t.Fatalf("want the change named before the build's failure, got %q first", got)
	}
	waitFor(t, p.errs, "build failed")
}
