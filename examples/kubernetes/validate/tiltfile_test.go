package validate

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/moby/patternmatcher"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// tilt records what the Tiltfile asked of the builtins it called.
type tilt struct {
	yaml       []string
	image      string
	context    string
	dockerfile string
	ignore     []string
	syncs      [][2]string // local (relative to the Tiltfile), remote
	resource   string
	forwards   starlark.Value
	called     []string
}

// builtins are stand-ins for the Tilt functions the example uses, taking
// the parameters Tilt documents for them (an unknown keyword is an error, as
// in Tilt); anything else the Tiltfile calls is undefined.
func (tl *tilt) builtins(t *testing.T) starlark.StringDict {
	fn := func(name string, f func(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error)) *starlark.Builtin {
		return starlark.NewBuiltin(name, func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			tl.called = append(tl.called, name)
			return f(args, kwargs)
		})
	}
	return starlark.StringDict{
		"k8s_yaml": fn("k8s_yaml", func(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var files *starlark.List
			var allow starlark.Value
			if err := starlark.UnpackArgs("k8s_yaml", args, kwargs, "yaml", &files, "allow_duplicates?", &allow); err != nil {
				return nil, err
			}
			tl.yaml = listStrings(files)
			return starlark.None, nil
		}),
		"read_file": fn("read_file", func(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var p string
			var def starlark.Value
			if err := starlark.UnpackArgs("read_file", args, kwargs, "file_path", &p, "default?", &def); err != nil {
				return nil, err
			}
			data, err := os.ReadFile(filepath.Join(example, p))
			return starlark.String(data), err // Tilt's Blob: str() of it is the text
		}),
		"sync": fn("sync", func(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var local, remote string
			if err := starlark.UnpackArgs("sync", args, kwargs, "local_path", &local, "remote_path", &remote); err != nil {
				return nil, err
			}
			tl.syncs = append(tl.syncs, [2]string{local, remote})
			return starlark.String("sync"), nil
		}),
		"docker_build": fn("docker_build", func(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var ref, context, dockerfile string
			var ignore, liveUpdate *starlark.List
			var rest [15]starlark.Value
			err := starlark.UnpackArgs("docker_build", args, kwargs,
				"ref", &ref, "context", &context, "build_args?", &rest[0], "dockerfile?", &dockerfile,
				"dockerfile_contents?", &rest[1], "live_update?", &liveUpdate, "match_in_env_vars?", &rest[2],
				"ignore?", &ignore, "only?", &rest[3], "entrypoint?", &rest[4], "target?", &rest[5], "ssh?", &rest[6],
				"network?", &rest[7], "secret?", &rest[8], "extra_tag?", &rest[9], "container_args?", &rest[10],
				"cache_from?", &rest[11], "pull?", &rest[12], "platform?", &rest[13], "extra_hosts?", &rest[14])
			if err != nil {
				return nil, err
			}
			if rest[4] != nil || rest[10] != nil {
				t.Error("docker_build overrides the container's command: reload must stay PID 1")
			}
			tl.image, tl.context, tl.dockerfile, tl.ignore = ref, context, dockerfile, listStrings(ignore)
			return starlark.None, nil
		}),
		"k8s_resource": fn("k8s_resource", func(args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			var workload string
			var forwards starlark.Value
			if err := starlark.UnpackArgs("k8s_resource", args, kwargs, "workload", &workload, "port_forwards?", &forwards); err != nil {
				return nil, err
			}
			tl.resource, tl.forwards = workload, forwards
			return starlark.None, nil
		}),
	}
}

// listStrings returns the strings of a Starlark list (nil for none).
func listStrings(l *starlark.List) []string {
	var out []string
	if l == nil {
		return nil
	}
	for v := range l.Elements() {
		s, _ := starlark.AsString(v)
		out = append(out, s)
	}
	return out
}

// The Tiltfile runs (as Starlark, with stand-ins for Tilt's builtins) and
// asks for what the example needs: the image the Deployment names, built
// from the repository root with the same context filter as Docker's, the
// app synced to where the image has it, and no restart_process or run step:
// reload does the restarting.
func TestTiltfile(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(example, "Tiltfile"))
	if err != nil {
		t.Fatal(err)
	}
	var tl tilt
	thread := &starlark.Thread{Name: "Tiltfile"}
	opts := &syntax.FileOptions{}
	if _, err := starlark.ExecFileOptions(opts, thread, "Tiltfile", src, tl.builtins(t)); err != nil {
		t.Fatalf("Tiltfile: %v", err)
	}
	for _, name := range []string{"k8s_yaml", "docker_build", "sync", "k8s_resource"} {
		if !slices.Contains(tl.called, name) {
			t.Errorf("the Tiltfile never calls %s", name)
		}
	}

	o := loadManifests(t)
	if tl.image != imageName {
		t.Errorf("docker_build(%q): want %q, the Deployment's image", tl.image, imageName)
	}
	for _, f := range tl.yaml {
		exists(t, filepath.Join(example, f))
	}
	if tl.resource != o.deployment.Name {
		t.Errorf("k8s_resource(%q): the Deployment is %s", tl.resource, o.deployment.Name)
	}
	sameDir(t, "docker_build's context", filepath.Join(example, tl.context), repo)
	exists(t, filepath.Join(example, tl.dockerfile))
	if !slices.Equal(tl.ignore, ignoreLines(t)) {
		t.Errorf("docker_build(ignore=%q) differs from Dockerfile.dockerignore %q", tl.ignore, ignoreLines(t))
	}

	// Tilt syncs a file under a sync's local path to the remote path plus
	// the rest of it; a file its ignore patterns leave out is not synced.
	pm, err := patternmatcher.New(tl.ignore)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range appFiles(t) {
		local := path.Join("app", f)
		if m, _ := pm.MatchesOrParentMatches("examples/kubernetes/" + local); m {
			t.Errorf("%s is ignored, so Tilt would never sync it", local)
		}
		var dests []string
		for _, s := range tl.syncs {
			if rest, ok := strings.CutPrefix(local, strings.TrimSuffix(path.Clean(s[0]), "/")+"/"); ok {
				dests = append(dests, path.Join(s[1], rest))
			}
		}
		if want := path.Join(appRoot, f); !slices.Equal(dests, []string{want}) {
			t.Errorf("%s syncs to %q, want [%s]", local, dests, want)
		}
	}
}
