//go:build !linux

package runner

import (
	"os"

	"github.com/reload-dev/reload/internal/status"
)

// reaper is Linux-only (a child subreaper finds processes that left the
// app's group). Elsewhere the process group is all reload can reach.
type reaper struct{}

// stray is a process of the app other than its leader.
type stray struct{ pid, pgid int }

func newReaper(*status.Printer) *reaper  { return &reaper{} }
func (*reaper) close()                   {}
func (*reaper) events() <-chan os.Signal { return nil }
func (*reaper) noteStart(int)            {}
func (*reaper) strays(int) []stray       { return nil }
func (*reaper) reap(int)                 {}
func (*reaper) reapZombies(int)          {}
