package command

import (
	"reflect"
	"strings"
	"testing"
)

func TestGate(t *testing.T) {
	const pre = "/tmp/r/gate.cjs"
	for _, tc := range []struct {
		name     string
		plan     Plan
		argv     []string
		envFiles []string
		err      string
	}{
		{"script", Plan{Argv: []string{"node", "index.js", "--port", "3"}},
			[]string{"node", "--require", pre, "index.js", "--port", "3"}, nil, ""},
		{"node flags stay after the gate", Plan{Argv: []string{"/usr/bin/node", "-r", "./setup.js", "--import", "tsx", "--inspect", "app.mjs"}},
			[]string{"/usr/bin/node", "--require", pre, "-r", "./setup.js", "--import", "tsx", "--inspect", "app.mjs"}, nil, ""},
		{"env files, both spellings", Plan{Argv: []string{"nodejs", "--env-file=.env", "--env-file-if-exists", "conf/local.env", "--env_file", "x.env", "index.js", "--env-file=app.env"}},
			[]string{"nodejs", "--require", pre, "--env-file=.env", "--env-file-if-exists", "conf/local.env", "--env_file", "x.env", "index.js", "--env-file=app.env"},
			[]string{".env", "conf/local.env", "x.env"}, ""},
		{"node.exe", Plan{Argv: []string{"/opt/node/NODE.exe", "a.js"}}, []string{"/opt/node/NODE.exe", "--require", pre, "a.js"}, nil, ""},
		{"shell string", Plan{Argv: []string{"sh", "-c", "node a.js"}, Shell: "node a.js"}, nil, nil, "shell string"},
		{"tsx", Plan{Argv: []string{"tsx", "a.ts"}}, nil, nil, "runs tsx"},
		{"python", Plan{Argv: []string{"python3", "a.py"}}, nil, nil, "only node"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := tc.plan.Gate(pre)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("want an error with %q, got %v", tc.err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(g.Argv, tc.argv) || !reflect.DeepEqual(g.EnvFiles, tc.envFiles) {
				t.Fatalf("got %q with env files %q, want %q with %q", g.Argv, g.EnvFiles, tc.argv, tc.envFiles)
			}
		})
	}
}
