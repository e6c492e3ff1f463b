//go:build unix

package e2e

import "testing"

// The end-to-end change tests of e2e_watch_test.go, polling instead of
// using file events: the two backends must look the same from outside.
var pollFlags = []string{"--poll", "100ms"}

func TestPollRestartOnChange(t *testing.T) {
	t.Parallel()
	testRestartOnChange(t, pollFlags...)
}

func TestPollFilters(t *testing.T) {
	t.Parallel()
	testFilters(t, pollFlags...)
}

func TestPollNewDirectoryAndImmediateFile(t *testing.T) {
	t.Parallel()
	testNewDirectoryAndImmediateFile(t, pollFlags...)
}

func TestPollAtomicSave(t *testing.T) {
	t.Parallel()
	testAtomicSave(t, pollFlags...)
}

func TestPollDeleteIsAChangeChmodIsNot(t *testing.T) {
	t.Parallel()
	testDeleteIsAChangeChmodIsNot(t, pollFlags...)
}

// TestPollFromConfigSaysWhy: poll in .reload.toml turns polling on, and
// --verbose names each polled root and the reason.
func TestPollFromConfigSaysWhy(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	writeFile(t, dir, ".reload.toml", "poll = \"150ms\"\nwatch = [\"src\", \"app.sh\"]\n")
	writeFile(t, dir, "src/lib.sh", "x")
	p := startReload(t, dir, "-v", "app.sh")
	waitFor(t, p.errs, "polling src every 150ms: --poll is set")
	p.ready()
	writeFile(t, dir, "src/lib.sh", "xy")
	if got := p.ready()["changed"]; got != "src/lib.sh" {
		t.Fatalf("a change polled from the config's root: got changed=%q", got)
	}
}
