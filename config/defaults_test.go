package config

import (
	"reflect"
	"testing"
	"time"
)

func TestDefault(t *testing.T) {
	t.Parallel()
	c := Default()
	if !reflect.DeepEqual(c.Watch, []string{"."}) || c.Ext != nil || c.Ignore != nil || c.Env != nil ||
		!c.Gitignore || !c.OnChange || c.OnCrash || c.OnExit || c.Clear ||
		c.Delay.Duration != 50*time.Millisecond || c.StopTimeout.Duration != 5*time.Second || c.Poll.Duration != 0 ||
		c.Backoff != (Backoff{Duration{100 * time.Millisecond}, Duration{10 * time.Second}, Duration{5 * time.Second}, 0}) ||
		c.Signal != "SIGTERM" || c.Restartable != "rs" || c.Log != LogInfo || !c.Cmd.IsZero() || c.Build != "" {
		t.Errorf("Default() = %+v", c)
	}
	// Callers own what they get.
	c.Watch[0] = "x"
	c.ExecMap["js"] = "bun"
	if d := Default(); d.Watch[0] != "." || d.ExecMap["js"] != "node" {
		t.Error("Default() shares its slices or maps between calls")
	}
}

func TestDefaultExecMap(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"js": "node", "mjs": "node", "cjs": "node", "ts": "tsx", "mts": "tsx", "cts": "tsx",
		"py": "python3", "rb": "ruby", "sh": "sh", "pl": "perl", "php": "php", "lua": "lua", "go": "go run",
	}
	if got := DefaultExecMap(); !reflect.DeepEqual(got, want) {
		t.Errorf("DefaultExecMap() = %v", got)
	}
}

func TestWatchExtFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		interp, ext string
		want        []string
	}{
		{"node", ".js", []string{"js", "mjs", "cjs", "json", "ts"}},
		{"/usr/local/bin/node --inspect", ".mjs", []string{"js", "mjs", "cjs", "json", "ts"}},
		{"tsx", ".ts", []string{"ts", "mts", "cts", "js", "json"}},
		{"python3", ".py", []string{"py"}},
		{"python", "py", []string{"py"}},
		{"python3.12 -u", ".py", []string{"py"}},
		{"go run", ".go", []string{"go", "mod", "sum"}},
		{"go", ".go", []string{"go", "mod", "sum"}},
		{"ruby", ".rb", []string{"rb"}},
		{"deno run", ".TS", []string{"ts"}},
		{"sh", "", nil},
		{"", "", nil},
	}
	for _, tt := range tests {
		if got := WatchExtFor(tt.interp, tt.ext); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("WatchExtFor(%q, %q) = %q, want %q", tt.interp, tt.ext, got, tt.want)
		}
	}
}
