//go:build !linux

package procgroup

import (
	"os"

	"github.com/reload-dev/reload/internal/status"
)

// Reaper is Linux-only (a child subreaper finds processes that left the
// app's group). Elsewhere the process group is all reload can reach.
type Reaper struct{}

// NewReaper returns a Reaper that finds nothing.
func NewReaper(*status.Printer) *Reaper { return &Reaper{} }

func (*Reaper) Close()                   {}
func (*Reaper) Events() <-chan os.Signal { return nil }
func (*Reaper) NoteStart(int)            {}
func (*Reaper) ReapZombies(int)          {}
func (*Reaper) strays(int) []stray       { return nil }
func (*Reaper) reap(int)                 {}
