//go:build unix

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// npmApp is a Node app that takes a second to stop on SIGTERM (reload's
// default stop signal), then says it stopped gracefully: were reload to kill
// it (a doubled SIGINT), it would never say so. It announces itself once its
// handler is in place.
const npmApp = `process.on("SIGTERM", () => setTimeout(() => { console.log("graceful pid=" + process.pid); process.exit(0); }, 1000));
setInterval(() => {}, 1 << 30);
console.log("ready pid=" + process.pid + " restarts=" + process.env.RELOAD_RESTARTS);
`

// npmTool skips the test unless Node and npm are installed.
func npmTool(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"node", "npm", "npx"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH: the npm package tests need Node.js and npm", tool)
		}
	}
}

// npmEnv is the environment for npm and npx: a cache of its own, no user
// config and no network (a registry on a closed local port, and --offline),
// so the install must come from the tarballs alone.
func npmEnv(t *testing.T, dir string) []string {
	t.Helper()
	rc := writeFile(t, dir, "npmrc", "")
	return append(os.Environ(), "NO_COLOR=1",
		"npm_config_cache="+filepath.Join(dir, "npm-cache"),
		"npm_config_userconfig="+rc,
		"npm_config_registry=http://127.0.0.1:9/",
		"npm_config_offline=true",
		"npm_config_update_notifier=false",
		"npm_config_audit=false",
		"npm_config_fund=false")
}

// runIn runs a command in dir to completion and fails the test with its output if it fails.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestNpmVersion: the Makefile's VERSION (git describe) becomes a semver npm
// accepts.
func TestNpmVersion(t *testing.T) {
	t.Parallel()
	npmTool(t)
	cases := map[string]string{
		"v1.2.3":                  "1.2.3",
		"1.2.3-rc.1":              "1.2.3-rc.1",
		"2e94683":                 "0.0.0-dev.g2e94683",
		"0123456":                 "0.0.0-dev.g0123456", // a numeric identifier may not start with 0
		"2e94683-dirty":           "0.0.0-dev.g2e94683.dirty",
		"v1.2.3-4-g2e94683":       "0.0.0-dev.g2e94683",
		"v1.2.3-4-g2e94683-dirty": "0.0.0-dev.g2e94683.dirty",
		"v1.2.3-dirty":            "0.0.0-dev.dirty",
		"v1.02.3":                 "0.0.0-dev",
		"dev":                     "0.0.0-dev",
	}
	var in []string
	for v := range cases {
		in = append(in, v)
	}
	arg, _ := json.Marshal(in)
	script := `const {npmVersion} = require("./npm/build.js");
console.log(JSON.stringify(JSON.parse(process.argv[1]).map(npmVersion)))`
	out := runIn(t, "..", os.Environ(), "node", "-e", script, string(arg))
	var got []string
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	for i, v := range in {
		if got[i] != cases[v] {
			t.Errorf("npmVersion(%q) = %q, want %q", v, got[i], cases[v])
		}
	}
}

// TestNpmPackage installs reload the way a Node user does, from the packed
// main and host packages, offline, and runs it through the shim: npx reload
// --version, a restart, Ctrl+C (one graceful stop, not a kill), signals to
// the shim alone, and SIGTERM to npx.
func TestNpmPackage(t *testing.T) {
	t.Parallel()
	npmTool(t)
	tmp := t.TempDir()
	env := npmEnv(t, tmp)

	// Relink the race binary TestMain built with a version: no compiling.
	const version = "v9.8.7-e2e"
	bin := filepath.Join(tmp, "reload")
	runIn(t, "..", os.Environ(), "go", "build", "-race", "-ldflags", "-X main.version="+version, "-o", bin, ".")
	dist := filepath.Join(tmp, "dist")
	runIn(t, "..", append(os.Environ(), "VERSION="+version, "HOST_ONLY=1", "BINARY="+bin, "OUT="+dist),
		"node", "npm/build.js")
	pkgs, err := filepath.Glob(filepath.Join(dist, "*"))
	if err != nil || len(pkgs) != 2 {
		t.Fatalf("want the main and one platform package in %s, got %v (%v)", dist, pkgs, err)
	}
	packs := filepath.Join(tmp, "packs")
	if err := os.Mkdir(packs, 0o755); err != nil {
		t.Fatal(err)
	}
	runIn(t, tmp, env, "npm", append([]string{"pack", "--silent", "--pack-destination", packs}, pkgs...)...)
	tarballs, _ := filepath.Glob(filepath.Join(packs, "*.tgz"))
	proj := filepath.Join(tmp, "proj")
	writeFile(t, proj, "package.json", `{"name": "app", "private": true}`+"\n")
	runIn(t, proj, env, "npm", append([]string{"install", "-D", "--offline", "--no-audit", "--no-fund"}, tarballs...)...)
	if _, err := os.Stat(filepath.Join(proj, "node_modules", ".bin", "reload")); err != nil {
		t.Fatalf("npm installed no reload command: %v", err)
	}

	if out := runIn(t, proj, env, "npx", "reload", "--version"); !strings.Contains(out, version) {
		t.Fatalf("npx reload --version: want %s, got %q", version, out)
	}

	// start runs reload through npx or straight through the shim, in a
	// process group of its own, as a shell runs a foreground job.
	start := func(t *testing.T, name string, args ...string) *proc {
		t.Helper()
		writeFile(t, proj, "app.js", npmApp)
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = proj, env
		p := launchProc(t, cmd)
		t.Cleanup(p.kill)
		return p
	}
	stopped := func(t *testing.T, p *proc, want int, app string) {
		t.Helper()
		if got := p.wait(); got != want {
			t.Fatalf("want exit status %d, got %d; stderr: %q", want, got, drain(p.errs))
		}
		if out := drain(p.out); !strings.Contains(strings.Join(out, "\n"), "graceful pid="+app) {
			t.Fatalf("the app was not stopped gracefully (a doubled SIGINT kills it); its output: %q; stderr: %q", out, drain(p.errs))
		}
		gone(t, mustAtoi(t, app))
	}

	t.Run("npx restart then Ctrl+C", func(t *testing.T) {
		p := start(t, "npx", "reload", "app.js")
		p.ready()
		writeFile(t, proj, "app.js", npmApp+"// changed\n")
		app := p.ready()
		if app["restarts"] != "1" {
			t.Fatalf("want restarts=1 after the change, got %s", app["restarts"])
		}
		// Ctrl+C: the terminal signals the whole foreground group, so
		// npm, the shim and reload all get SIGINT, and npm passes its own on.
		if err := syscall.Kill(-p.cmd.Process.Pid, syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		stopped(t, p, 130, app["pid"])
	})

	t.Run("shim alone: SIGUSR2 then SIGINT", func(t *testing.T) {
		p := start(t, filepath.Join(proj, "node_modules", ".bin", "reload"), "app.js")
		p.ready()
		p.signal(syscall.SIGUSR2)
		app := p.ready()
		if app["restarts"] != "1" {
			t.Fatalf("SIGUSR2 to the shim: want restarts=1, got %s", app["restarts"])
		}
		p.signal(syscall.SIGINT)
		stopped(t, p, 130, app["pid"])
	})

	t.Run("SIGTERM to npx", func(t *testing.T) {
		// npm passes it to its `sh -c` only, which dies of it: the shim,
		// orphaned, stops reload.
		p := start(t, "npx", "reload", "app.js")
		app := p.ready()
		p.signal(syscall.SIGTERM)
		stopped(t, p, 128+int(syscall.SIGTERM), app["pid"])
	})
}
