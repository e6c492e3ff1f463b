package runner

import (
	"fmt"
	"slices"
	"strings"
)

// Merge folds b into a: one start (or build) serves both. Paths are kept
// sorted and unique; the first reason wins.
func (a Trigger) Merge(b Trigger) Trigger {
	out := Trigger{Rescan: a.Rescan || b.Rescan, Reason: a.Reason}
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

// String says why the app restarts: "src/app.js changed (+3 more)", "rs".
func (t Trigger) String() string {
	switch {
	case len(t.Paths) == 1:
		return t.Paths[0] + " changed"
	case len(t.Paths) > 1:
		return fmt.Sprintf("%s changed (+%d more)", t.Paths[0], len(t.Paths)-1)
	case t.Reason != "":
		return t.Reason
	case t.Rescan:
		return "files changed (some events were lost)"
	}
	return "restart requested"
}

// listPaths names up to n paths, for --verbose.
func listPaths(paths []string, n int) string {
	if len(paths) <= n {
		return strings.Join(paths, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(paths[:n], ", "), len(paths)-n)
}
