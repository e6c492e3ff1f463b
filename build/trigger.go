package build

import (
	"fmt"
	"slices"

	"github.com/reload-dev/reload/runner"
)

// merge folds b into a: one build serves both. Paths are kept sorted and
// unique (the runner's RELOAD_CHANGED and status line rely on it); the
// first reason wins.
func merge(a, b runner.Trigger) runner.Trigger {
	out := runner.Trigger{Rescan: a.Rescan || b.Rescan, Reason: a.Reason}
	if out.Reason == "" {
		out.Reason = b.Reason
	}
	if len(a.Paths)+len(b.Paths) > 0 {
		out.Paths = make([]string, 0, len(a.Paths)+len(b.Paths))
		out.Paths = append(append(out.Paths, a.Paths...), b.Paths...)
		slices.Sort(out.Paths)
		out.Paths = slices.Compact(out.Paths)
	}
	return out
}

// describe names what a trigger is for: "src/app.js changed (+3 more)", "rs".
func describe(t runner.Trigger) string {
	switch {
	case len(t.Paths) == 1:
		return t.Paths[0] + " changed"
	case len(t.Paths) > 1:
		return fmt.Sprintf("%s changed (+%d more)", t.Paths[0], len(t.Paths)-1)
	case t.Reason != "":
		return t.Reason
	}
	return "files changed"
}
