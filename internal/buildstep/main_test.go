package buildstep

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	// As reload is while the runner runs: a build's child whose shell died
	// is reparented to this process, and the stage must reap it.
	beSubreaper()
	os.Exit(m.Run())
}
