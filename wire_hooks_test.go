package main

import (
	"slices"
	"testing"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/hooks"
	"github.com/reload-dev/reload/runner"
)

// TestHookNamesAgree: the names config accepts are the hooks that run.
func TestHookNamesAgree(t *testing.T) {
	if !slices.Equal(config.HookNames, hooks.Names) {
		t.Errorf("config.HookNames %q, hooks.Names %q", config.HookNames, hooks.Names)
	}
}

// TestIsRestart: the restart hook is for a start after the first that a
// change, rs or a signal asked for; not the runner's own restarts.
func TestIsRestart(t *testing.T) {
	for _, tc := range []struct {
		reason   string
		restarts int
		want     bool
	}{
		{"start", 0, false},
		{"change", 0, false}, // on_change_only: the first start
		{"change", 1, true},
		{"rs", 3, true},
		{"SIGHUP", 1, true},
		{"SIGUSR2", 2, true},
		{"crash", 2, false},
		{"exit", 2, false},
	} {
		if got := isRestart(runner.Event{Kind: runner.Started, Reason: tc.reason, Restarts: tc.restarts}); got != tc.want {
			t.Errorf("%s, restarts %d: %v; want %v", tc.reason, tc.restarts, got, tc.want)
		}
	}
}
