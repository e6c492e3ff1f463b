package validate

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/moby/patternmatcher"
)

// dockerfile is what the checks need of the example's Dockerfile.
type dockerfile struct {
	stages     []stage
	entrypoint []string // the final stage's, exec form
	cmd        []string
}

type stage struct {
	from, name string
	lines      []string // instructions, continuation lines joined
}

// parseDockerfile reads the Dockerfile's instructions by stage. It is no
// full parser: enough for this one file, whose syntax Docker checks when it
// builds.
func parseDockerfile(t *testing.T) dockerfile {
	t.Helper()
	f, err := os.Open(filepath.Join(example, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var df dockerfile
	var cur string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if cur == "" && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if l, ok := strings.CutSuffix(line, `\`); ok {
			cur += l + " "
			continue
		}
		cur += line
		instr, rest, _ := strings.Cut(cur, " ")
		cur = ""
		switch strings.ToUpper(instr) {
		case "FROM":
			f := strings.Fields(rest)
			s := stage{from: f[0]}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				s.name = f[2]
			}
			df.stages = append(df.stages, s)
			continue
		case "ENTRYPOINT", "CMD":
			var argv []string
			if err := json.Unmarshal([]byte(rest), &argv); err != nil {
				t.Fatalf("%s %s: not an exec-form argv (the image has no shell): %v", instr, rest, err)
			}
			if strings.EqualFold(instr, "CMD") {
				df.cmd = argv
			} else {
				df.entrypoint = argv
			}
		}
		if len(df.stages) == 0 {
			t.Fatalf("%q before the first FROM", instr)
		}
		last := &df.stages[len(df.stages)-1]
		last.lines = append(last.lines, strings.ToUpper(instr)+" "+rest)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return df
}

func (s stage) has(prefix string) []string {
	var out []string
	for _, l := range s.lines {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// The final image is distroless-style: no shell, so nothing runs in it at
// build time and its commands are argv lists; reload comes in as a static
// binary from a build stage.
func TestDockerfileFinalImageHasNoShell(t *testing.T) {
	df := parseDockerfile(t)
	final := df.stages[len(df.stages)-1]
	if !strings.HasPrefix(final.from, "gcr.io/distroless/") {
		t.Errorf("final image %s: want a distroless base", final.from)
	}
	if runs := final.has("RUN "); len(runs) > 0 {
		t.Errorf("the final stage RUNs %q: it has no shell to run them", runs)
	}
	if len(df.entrypoint) == 0 || df.entrypoint[0] != "/usr/local/bin/reload" {
		t.Errorf("ENTRYPOINT %q: want reload, as PID 1", df.entrypoint)
	}
	noShell(t, "ENTRYPOINT", df.entrypoint)
	noShell(t, "CMD", df.cmd)
	if !slices.ContainsFunc(final.has("COPY "), func(l string) bool {
		return strings.Contains(l, "--from=reload ") && strings.HasSuffix(l, " /usr/local/bin/reload")
	}) {
		t.Error("the final stage does not copy reload from the build stage to /usr/local/bin/reload")
	}
	build := df.stage(t, "reload")
	if env := build.has("ENV "); !slices.ContainsFunc(env, func(l string) bool { return strings.Contains(l, "CGO_ENABLED=0") }) {
		t.Error("the reload stage does not set CGO_ENABLED=0: a binary linked to the build image's libc may not run on the final one")
	}
	tools := df.stage(t, "synctools")
	for _, l := range tools.has("RUN ") {
		if strings.Contains(l, " sh;") || strings.Contains(l, " sh ") || strings.Contains(l, "/sh") {
			t.Errorf("the sync tools stage makes a shell: %s", l)
		}
		for _, tool := range []string{"tar", "rm"} { // what Tilt, Skaffold and Compose exec
			if !strings.Contains(l, " "+tool+" ") {
				t.Errorf("the sync tools stage does not link %s: %s", tool, l)
			}
		}
	}
	if !slices.Contains(final.has("COPY "), "COPY --from=synctools /out/ /usr/local/bin/") {
		t.Error("the final stage does not copy the sync tools")
	}
}

func (df dockerfile) stage(t *testing.T, name string) stage {
	t.Helper()
	for _, s := range df.stages {
		if s.name == name {
			return s
		}
	}
	t.Fatalf("no stage %q", name)
	return stage{}
}

// ignoreLines are the patterns of Dockerfile.dockerignore.
func ignoreLines(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(example, "Dockerfile.dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for l := range strings.Lines(string(data)) {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// The build context is the repository root cut down by
// Dockerfile.dockerignore, and the reload stage copies folders by name: every
// file `go build` needs must get through both, and a package added to reload
// later must not silently break the image.
func TestDockerfileCopiesWhatReloadBuildNeeds(t *testing.T) {
	pm, err := patternmatcher.New(ignoreLines(t))
	if err != nil {
		t.Fatal(err)
	}
	ignored := func(rel string) bool {
		m, err := pm.MatchesOrParentMatches(filepath.ToSlash(rel))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	list := exec.Command("go", "list", "-deps", "-f", `{{if .Module}}{{if .Module.Main}}{{.Dir}}{{range .GoFiles}} {{.}}{{end}}{{range .EmbedFiles}} {{.}}{{end}}{{end}}{{end}}`, ".")
	list.Dir = repo
	list.Env = append(os.Environ(), "GOOS=linux", "CGO_ENABLED=0")
	out, err := list.Output()
	if err != nil {
		t.Fatalf("go list in the repository root: %v", err)
	}
	root, err := filepath.Abs(repo)
	if err != nil {
		t.Fatal(err)
	}
	copied := parseDockerfile(t).stage(t, "reload").has("COPY ")
	need := []string{"go.mod", "go.sum"}
	for l := range strings.Lines(strings.TrimSpace(string(out))) {
		f := strings.Fields(l)
		dir, err := filepath.Rel(root, f[0])
		if err != nil {
			t.Fatal(err)
		}
		if dir != "." && !slices.ContainsFunc(copied, func(c string) bool {
			top, _, _ := strings.Cut(filepath.ToSlash(dir), "/")
			return strings.HasPrefix(c, "COPY "+top+"/ ")
		}) {
			t.Errorf("package folder %s is not copied by the reload stage; add COPY %s/ to the Dockerfile", dir, strings.Split(filepath.ToSlash(dir), "/")[0])
		}
		for _, name := range f[1:] {
			need = append(need, filepath.Join(dir, name))
		}
	}
	if len(need) < 10 {
		t.Fatalf("go list found only %q", need)
	}
	for _, f := range need {
		if ignored(f) {
			t.Errorf("%s is needed to build reload but Dockerfile.dockerignore leaves it out", f)
		}
	}
	for _, f := range []string{"examples/kubernetes/app/src/index.js", "examples/kubernetes/app/package.json"} {
		if ignored(f) {
			t.Errorf("%s is left out of the build context; the image copies the app", f)
		}
	}
	for _, f := range []string{"e2e/go.mod", "docs/events.md", "examples/node/index.js", "watcher/watcher_test.go", "examples/kubernetes/validate/go.mod"} {
		if !ignored(f) {
			t.Errorf("%s is in the build context; keep the context (and what Tilt watches) to what the image needs", f)
		}
	}
}
