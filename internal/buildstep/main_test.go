package buildstep

import (
	"os"
	"testing"

	"github.com/reload-dev/reload/internal/procgroup"
	"github.com/reload-dev/reload/internal/status"
)

func TestMain(m *testing.M) {
	// As reload is while the runner runs: a build's child whose shell died
	// is reparented to this process, and the stage must reap it.
	procgroup.NewReaper(status.Discard())
	os.Exit(m.Run())
}
