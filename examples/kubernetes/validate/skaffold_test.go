package validate

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bmatcuk/doublestar/v4"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// skaffoldConfig is the part of Skaffold's schema (skaffold/v4beta*) that
// the example uses, field for field. Decoding strictly into it catches a
// misspelt or misplaced key; it is not Skaffold's full schema.
type skaffoldConfig struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Build struct {
		Artifacts []struct {
			Image   string `json:"image"`
			Context string `json:"context"`
			Docker  struct {
				Dockerfile string `json:"dockerfile"`
			} `json:"docker"`
			Sync struct {
				Manual []struct {
					Src   string `json:"src"`
					Dest  string `json:"dest"`
					Strip string `json:"strip"`
				} `json:"manual"`
			} `json:"sync"`
		} `json:"artifacts"`
	} `json:"build"`
	Manifests struct {
		RawYaml []string `json:"rawYaml"`
	} `json:"manifests"`
	Deploy struct {
		Kubectl *struct{} `json:"kubectl"`
	} `json:"deploy"`
	PortForward []struct {
		ResourceType string `json:"resourceType"`
		ResourceName string `json:"resourceName"`
		Port         int    `json:"port"`
		LocalPort    int    `json:"localPort"`
	} `json:"portForward"`
}

// skaffold.yaml builds the image the Deployment names, deploys k8s/, and
// syncs every file of the app to where the image has it, so no edit to the
// app rebuilds the image.
func TestSkaffoldConfig(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(example, "skaffold.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c skaffoldConfig
	if err := yaml.UnmarshalStrict(data, &c); err != nil {
		t.Fatalf("skaffold.yaml: %v", err)
	}
	if !strings.HasPrefix(c.APIVersion, "skaffold/v4") || c.Kind != "Config" {
		t.Errorf("apiVersion %q kind %q: want skaffold/v4… Config", c.APIVersion, c.Kind)
	}
	if len(c.Build.Artifacts) != 1 {
		t.Fatalf("%d artifacts, want 1", len(c.Build.Artifacts))
	}
	a := c.Build.Artifacts[0]
	if a.Image != imageName {
		t.Errorf("artifact %q, want %q (the Deployment's image)", a.Image, imageName)
	}
	sameDir(t, "the artifact's context", filepath.Join(example, a.Context), repo)
	exists(t, filepath.Join(example, a.Context, a.Docker.Dockerfile))
	o := loadManifests(t)
	for _, m := range c.Manifests.RawYaml {
		exists(t, filepath.Join(example, m))
	}
	if c.Deploy.Kubectl == nil {
		t.Error("no kubectl deployer")
	}

	// Skaffold matches src against paths relative to the context, takes
	// strip off the front and puts dest before the rest.
	ctxToApp := "examples/kubernetes/app/"
	for _, f := range appFiles(t) {
		rel := ctxToApp + f
		var dests []string
		for _, r := range a.Sync.Manual {
			ok, err := doublestar.Match(r.Src, rel)
			if err != nil {
				t.Fatalf("sync src %q: %v", r.Src, err)
			}
			if ok {
				dests = append(dests, path.Join(r.Dest, strings.TrimPrefix(rel, r.Strip)))
			}
		}
		if want := path.Join(appRoot, f); !slices.Equal(dests, []string{want}) {
			t.Errorf("%s syncs to %q, want [%s]", rel, dests, want)
		}
	}

	for _, pf := range c.PortForward {
		if pf.ResourceType != "service" || pf.ResourceName != o.service.Name {
			t.Errorf("port forward to %s/%s: the example's Service is %s", pf.ResourceType, pf.ResourceName, o.service.Name)
		}
		if !slices.ContainsFunc(o.service.Spec.Ports, func(p corev1.ServicePort) bool { return int(p.Port) == pf.Port }) {
			t.Errorf("port forward of port %d: the Service has no such port", pf.Port)
		}
	}
}

// sameDir fails unless a and b are the same folder.
func sameDir(t *testing.T, what, a, b string) {
	t.Helper()
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA != nil || errB != nil || !os.SameFile(fa, fb) {
		t.Errorf("%s is %s, want the repository root %s (%v %v)", what, a, b, errA, errB)
	}
}

func exists(t *testing.T, p string) {
	t.Helper()
	if _, err := os.Stat(p); err != nil {
		t.Error(err)
	}
}
