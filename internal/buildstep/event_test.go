//go:build unix

package buildstep

import (
	"path/filepath"
	"testing"
)

// TestEventCodeAndTime: Failed and Succeeded carry the build's exit code
// (-1 when it has none) and how long it ran, for the --events stream.
func TestEventCodeAndTime(t *testing.T) {
	t.Parallel()
	h := newHarness(t, `exit "$(cat code)"`)
	h.write("code", "3")
	h.run()
	h.send("a.go")
	h.event(Building)
	if e := h.event(Failed); e.Code != 3 || e.Took <= 0 {
		t.Errorf("failed build: %+v", e)
	}
	h.write("code", "0")
	h.send("b.go")
	h.next()
	h.event(Building)
	if e := h.event(Succeeded); e.Code != 0 || e.Took <= 0 {
		t.Errorf("good build: %+v", e)
	}

	h = newHarness(t, "true")
	h.stage.o.Dir = filepath.Join(h.dir, "missing")
	h.run()
	h.send("c.go")
	h.event(Building)
	if e := h.event(Failed); e.Code != -1 {
		t.Errorf("a build that cannot start: %+v", e)
	}
}
