package validate

import (
	"context"
	"path"
	"path/filepath"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// compose.yaml loads with compose-go, the library docker compose itself
// uses, which validates it against the Compose Specification's JSON schema
// (unknown keys are errors) before it resolves paths and defaults.
func TestComposeFile(t *testing.T) {
	ctx := context.Background()
	details, err := loader.LoadConfigFiles(ctx, []string{filepath.Join(example, "compose.yaml")}, example)
	if err != nil {
		t.Fatal(err)
	}
	p, err := loader.LoadWithContext(ctx, *details)
	if err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	if len(p.Services) != 1 {
		t.Fatalf("%d services, want 1", len(p.Services))
	}
	var s types.ServiceConfig
	for _, s = range p.Services {
	}
	if s.Build == nil {
		t.Fatal("no build: compose watch only syncs into services it builds")
	}
	sameDir(t, "build.context", s.Build.Context, repo)
	exists(t, filepath.Join(s.Build.Context, s.Build.Dockerfile))

	// The image's entrypoint (reload) must stay PID 1: no entrypoint
	// override, no init process in front of it.
	if len(s.Entrypoint) > 0 {
		t.Errorf("entrypoint %q replaces reload", s.Entrypoint)
	}
	if s.Init != nil && *s.Init {
		t.Error("init: true puts docker's init in front of reload, which then is not PID 1")
	}
	if len(s.Command) > 0 {
		noShell(t, "command", s.Command)
	}

	df := parseDockerfile(t)
	stop := flagDuration(t, df.entrypoint, "--stop-timeout", 5*time.Second)
	grace := 10 * time.Second // docker's default
	if s.StopGracePeriod != nil {
		grace = time.Duration(*s.StopGracePeriod)
	}
	if stop >= grace {
		t.Errorf("--stop-timeout %v is not below stop_grace_period %v: docker would SIGKILL reload before it has stopped the app", stop, grace)
	}
	if hc := s.HealthCheck; hc == nil || len(hc.Test) < 2 || hc.Test[0] != "CMD" {
		t.Errorf("healthcheck %v: want an argv test (CMD), the image has no shell for CMD-SHELL", hc)
	} else {
		noShell(t, "healthcheck", hc.Test[1:])
	}

	if s.Develop == nil || len(s.Develop.Watch) == 0 {
		t.Fatal("no develop.watch")
	}
	synced := map[string]bool{}
	for _, w := range s.Develop.Watch {
		if w.Action != types.WatchActionSync {
			t.Errorf("watch %s: action %s; the example syncs and lets reload restart", w.Path, w.Action)
		}
		for _, f := range appFiles(t) {
			src := filepath.Join(example, "app", filepath.FromSlash(f))
			rel, err := filepath.Rel(w.Path, src)
			if err != nil || !filepath.IsLocal(rel) {
				continue
			}
			dest := path.Join(w.Target, filepath.ToSlash(rel))
			if want := path.Join(appRoot, f); dest != want {
				t.Errorf("%s syncs to %s, want %s", f, dest, want)
			}
			synced[f] = true
		}
	}
	for _, f := range appFiles(t) {
		if !synced[f] {
			t.Errorf("app/%s is not synced", f)
		}
	}
}
