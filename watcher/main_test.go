package watcher

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if specDir != "" { // built by a benchmark
		os.RemoveAll(specDir)
	}
	os.Exit(code)
}
