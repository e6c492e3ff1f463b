package validate

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// example is the folder of the container example, repo the repository root
// (the image's build context).
const (
	example = ".."
	repo    = "../../.."
)

// objects are the Kubernetes manifests of k8s/, each decoded strictly.
type objects struct {
	deployment *appsv1.Deployment
	service    *corev1.Service
}

// loadManifests decodes every document of every file in k8s/ strictly into
// the real API type its apiVersion and kind name: an unknown or misspelt
// field, a duplicate key or a wrong type is an error, as kubectl apply
// --validate=strict would make it.
func loadManifests(t *testing.T) objects {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(example, "k8s", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in k8s/: %v", err)
	}
	var o objects
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range splitDocuments(data) {
			var meta struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
			}
			if err := yaml.Unmarshal(doc, &meta); err != nil {
				t.Fatalf("%s: document %d: %v", f, i+1, err)
			}
			var obj any
			switch meta.APIVersion + " " + meta.Kind {
			case "apps/v1 Deployment":
				o.deployment = &appsv1.Deployment{}
				obj = o.deployment
			case "v1 Service":
				o.service = &corev1.Service{}
				obj = o.service
			default:
				t.Fatalf("%s: document %d: %s %s has no check here; add its type to loadManifests", f, i+1, meta.APIVersion, meta.Kind)
			}
			if err := yaml.UnmarshalStrict(doc, obj); err != nil {
				t.Fatalf("%s: document %d (%s): %v", f, i+1, meta.Kind, err)
			}
		}
	}
	if o.deployment == nil || o.service == nil {
		t.Fatal("k8s/ needs a Deployment and a Service")
	}
	return o
}

// splitDocuments splits a YAML stream at its "---" lines, dropping empty documents.
func splitDocuments(data []byte) [][]byte {
	var docs [][]byte
	for _, d := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(data), -1) {
		if strings.TrimSpace(regexp.MustCompile(`(?m)^\s*#.*$`).ReplaceAllString(d, "")) != "" {
			docs = append(docs, []byte(d))
		}
	}
	return docs
}

func TestKubernetesManifestsDecodeStrictly(t *testing.T) {
	loadManifests(t)
	// The check itself must catch a misspelt field.
	bad := []byte("apiVersion: apps/v1\nkind: Deployment\nspec:\n  replica: 1\n")
	if err := yaml.UnmarshalStrict(bad, &appsv1.Deployment{}); err == nil {
		t.Fatal("strict decoding accepted a misspelt field")
	}
}

// The Deployment runs reload as the container's command (PID 1), as an
// argv, with a stop timeout inside the grace period and a readiness probe.
func TestDeploymentRunsReloadAsPID1(t *testing.T) {
	o := loadManifests(t)
	d := o.deployment
	spec := d.Spec.Template.Spec
	if len(spec.Containers) != 1 {
		t.Fatalf("%d containers; the example has one", len(spec.Containers))
	}
	c := spec.Containers[0]
	if len(c.Command) == 0 || c.Command[0] != "/usr/local/bin/reload" {
		t.Fatalf("command = %q; want reload itself as the container's command (PID 1)", c.Command)
	}
	if len(c.Args) != 0 {
		t.Errorf("args = %q; keep the whole argv in command", c.Args)
	}
	noShell(t, "the Deployment's command", c.Command)
	app := afterDashes(t, c.Command)
	if !slices.Equal(app, []string{"node", "src/index.js"}) {
		t.Errorf("the app's command = %q, want node src/index.js", app)
	}
	if _, err := os.Stat(filepath.Join(example, "app", app[1])); err != nil {
		t.Errorf("the app's script: %v", err)
	}
	if c.WorkingDir != "/app" {
		t.Errorf("workingDir = %q, want /app (where the image and the syncs put the app)", c.WorkingDir)
	}

	stop := flagDuration(t, c.Command, "--stop-timeout", 5*time.Second)
	grace := 30 * time.Second // the API's default
	if spec.TerminationGracePeriodSeconds != nil {
		grace = time.Duration(*spec.TerminationGracePeriodSeconds) * time.Second
	}
	if stop >= grace {
		t.Errorf("--stop-timeout %v is not below terminationGracePeriodSeconds (%v): the kubelet would SIGKILL reload before it has stopped the app", stop, grace)
	}

	p := c.ReadinessProbe
	if p == nil || p.HTTPGet == nil {
		t.Fatal("no HTTP readiness probe")
	}
	if !hasPort(c, p.HTTPGet.Port.String()) {
		t.Errorf("the readiness probe's port %q is none of the container's ports", p.HTTPGet.Port.String())
	}
	if c.LivenessProbe != nil {
		t.Error("a livenessProbe restarts the container, which loses every synced file; reload supervises the app")
	}

	labels := d.Spec.Template.Labels
	for k, v := range d.Spec.Selector.MatchLabels {
		if labels[k] != v {
			t.Errorf("the Deployment's selector %s=%s does not match its pods' labels", k, v)
		}
	}
	s := o.service
	for k, v := range s.Spec.Selector {
		if labels[k] != v {
			t.Errorf("the Service's selector %s=%s does not match the pods' labels", k, v)
		}
	}
	for _, sp := range s.Spec.Ports {
		if !hasPort(c, sp.TargetPort.String()) {
			t.Errorf("the Service's targetPort %q is none of the container's ports", sp.TargetPort.String())
		}
	}

	// The image's own entrypoint (used by Compose and docker run) is the
	// same argv, so every tool runs reload alike.
	df := parseDockerfile(t)
	if img := append(slices.Clone(df.entrypoint), df.cmd...); !slices.Equal(img, c.Command) {
		t.Errorf("the Deployment's command %q differs from the image's ENTRYPOINT + CMD %q", c.Command, img)
	}
	if c.Image != imageName {
		t.Errorf("image = %q, want %q (the name Tilt and Skaffold build and replace)", c.Image, imageName)
	}
}

// imageName is the image every tool builds and the Deployment names.
const imageName = "reload-k8s-example"

// hasPort reports whether port (a name or a number) is one of c's ports.
func hasPort(c corev1.Container, port string) bool {
	for _, p := range c.Ports {
		if p.Name == port || strconv.Itoa(int(p.ContainerPort)) == port {
			return true
		}
	}
	return false
}

// noShell fails if an argv runs its command through a shell.
func noShell(t *testing.T, what string, argv []string) {
	t.Helper()
	if len(argv) == 0 {
		t.Fatalf("%s is empty", what)
	}
	switch filepath.Base(argv[0]) {
	case "sh", "bash", "ash", "dash":
		t.Errorf("%s runs %s: the image has no shell; write an argv", what, argv[0])
	}
	if slices.Contains(argv, "-c") {
		t.Errorf("%s %q has -c: the image has no shell; write an argv", what, argv)
	}
}

// afterDashes returns what follows "--" in reload's argv: the app's own.
func afterDashes(t *testing.T, argv []string) []string {
	t.Helper()
	i := slices.Index(argv, "--")
	if i < 0 {
		t.Fatalf("%q has no --: write reload's flags, then --, then the app's argv", argv)
	}
	return argv[i+1:]
}

// flagDuration returns the value of a duration flag before "--", or def.
func flagDuration(t *testing.T, argv []string, name string, def time.Duration) time.Duration {
	t.Helper()
	own := argv[:slices.Index(argv, "--")]
	for i, a := range own {
		v, ok := strings.CutPrefix(a, name+"=")
		if a == name && i+1 < len(own) {
			v, ok = own[i+1], true
		}
		if ok {
			d, err := time.ParseDuration(v)
			if err != nil {
				t.Fatalf("%s %q: %v", name, v, err)
			}
			return d
		}
	}
	return def
}
