//go:build unix

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// The tests in this file come from a hostile trial: a tree, a config file
// or file names shaped to hang reload, exhaust its memory, forge its output
// or run someone else's code.

// mkfifo makes a named pipe with no writer: a plain read of it waits forever.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
}

// oneLineError checks that reload exited 2 with one line containing want.
func oneLineError(t *testing.T, st int, stderr, want string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if st != 2 || len(lines) != 1 || !strings.Contains(stderr, want) {
		t.Fatalf("want exit 2 and one line containing %q, got %d:\n%s", want, st, stderr)
	}
}

// TestHostileIgnoreFiles: a FIFO .gitignore and one symlinked to /dev/zero
// are warned about by path and skipped; the app starts (it used to hang at
// set-up, or run out of memory).
func TestHostileIgnoreFiles(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	mkfifo(t, filepath.Join(dir, "pipe", ".gitignore"))
	if err := os.MkdirAll(filepath.Join(dir, "zero"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero", ".gitignore")); err != nil {
		t.Fatal(err)
	}
	p := startReload(t, dir, "app.sh")
	p.ready()
	errs := strings.Join(drain(p.errs), "\n")
	for _, f := range []string{"pipe/.gitignore", "zero/.gitignore"} {
		if strings.Count(errs, f) != 1 {
			t.Errorf("want one warning naming %s, got:\n%s", f, errs)
		}
	}
}

// TestHostileConfigFiles: a config file that is a FIFO, a symlink to
// /dev/zero or larger than 1 MiB is refused with one line and exit 2.
func TestHostileConfigFiles(t *testing.T) {
	t.Parallel()
	t.Run("found FIFO", func(t *testing.T) {
		t.Parallel()
		dir := newProject(t)
		mkfifo(t, filepath.Join(dir, ".reload.toml"))
		st, stderr := runReload(t, dir, "app.sh")
		oneLineError(t, st, stderr, ".reload.toml is not a regular file")
	})
	t.Run("found symlink to /dev/zero", func(t *testing.T) {
		t.Parallel()
		dir := newProject(t)
		if err := os.Symlink("/dev/zero", filepath.Join(dir, ".reload.toml")); err != nil {
			t.Fatal(err)
		}
		st, stderr := runReload(t, dir, "app.sh")
		oneLineError(t, st, stderr, ".reload.toml is not a regular file")
	})
	t.Run("--config symlink to /dev/zero", func(t *testing.T) {
		t.Parallel()
		dir := newProject(t)
		if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.toml")); err != nil {
			t.Fatal(err)
		}
		st, stderr := runReload(t, dir, "--config", "zero.toml", "app.sh")
		oneLineError(t, st, stderr, "config file zero.toml is not a regular file")
	})
	t.Run("over 1 MiB", func(t *testing.T) {
		t.Parallel()
		dir := newProject(t)
		writeFile(t, dir, ".reload.toml", strings.Repeat("# padding\n", 110_000))
		st, stderr := runReload(t, dir, "app.sh")
		oneLineError(t, st, stderr, ".reload.toml is larger than 1 MiB")
	})
	t.Run("--config symlink to a regular file", func(t *testing.T) {
		t.Parallel()
		dir := newProject(t)
		writeFile(t, dir, "real.toml", "on_change = false\n")
		if err := os.Symlink("real.toml", filepath.Join(dir, "link.toml")); err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, "ok.sh", "exit 0\n")
		if st, stderr := runReload(t, dir, "--config", "link.toml", "ok.sh"); st != 0 {
			t.Fatalf("want exit 0, got %d:\n%s", st, stderr)
		}
	})
}

// TestHostileConfigNesting: a dotted key of 5,000 parts (10 KB; it cost
// 0.5 GB, and 40 KB cost 7 GB and 24 s) and 100,000 open brackets are
// refused with one line naming the file and line.
func TestHostileConfigNesting(t *testing.T) {
	t.Parallel()
	for name, text := range map[string]string{
		"dotted key": "cmd = \"true\"\n" + strings.Repeat("a.", 5000) + "b = 1\n",
		"arrays":     "cmd = \"true\"\nx = " + strings.Repeat("[", 100_000) + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFile(t, dir, ".reload.toml", text)
			st, stderr := runReload(t, dir)
			oneLineError(t, st, stderr, ".reload.toml:2: nested more than")
		})
	}
}

// TestHostileNULInConfig: a NUL byte in cmd, build, watch, ignore or [env]
// used to pass validation and fail later (126, 127 or 1); it is a config
// error naming file, line and key.
func TestHostileNULInConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, toml, want string }{
		{"cmd", "cmd = [\"sh\", \"app\\u0000.sh\"]\n", `.reload.toml:1: key "cmd": the command holds a NUL byte`},
		{"build", "cmd = [\"sh\", \"app.sh\"]\nbuild = \"true\\u0000\"\n", `.reload.toml:2: key "build"`},
		{"watch", "cmd = [\"sh\", \"app.sh\"]\nwatch = [\".\\u0000\"]\n", `.reload.toml:2: key "watch"`},
		{"ignore", "cmd = [\"sh\", \"app.sh\"]\nignore = [\"x\\u0000\"]\n", `.reload.toml:2: key "ignore"`},
		{"env", "cmd = [\"sh\", \"app.sh\"]\n[env]\nA = \"1\\u0000\"\n", `.reload.toml:3: key "env.A"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := newProject(t)
			writeFile(t, dir, ".reload.toml", tc.toml)
			st, stderr := runReload(t, dir, "--no-watch")
			oneLineError(t, st, stderr, tc.want)
			if !strings.Contains(stderr, "NUL byte") {
				t.Fatalf("the error must name the NUL byte:\n%s", stderr)
			}
		})
	}
}

// TestHostileMissingScript: "reload server.js" with no server.js is a usage
// error; it used to run "server.js" as a program, fail to find it on PATH
// and wait for a change.
func TestHostileMissingScript(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, stderr := runReload(t, dir, "server.js")
	oneLineError(t, st, stderr, "reload: server.js: no such file")
	writeFile(t, dir, "server.ts", "")
	st, stderr = runReload(t, dir, "server.js")
	oneLineError(t, st, stderr, "did you mean server.ts?")
}

// TestHelpAndVersionCommands: "reload help" and "reload version" print, as
// --help and --version do, instead of running programs named help and version.
func TestHelpAndVersionCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct{ arg, want string }{{"help", "reload --on-crash index.js"}, {"version", "reload version"}} {
		cmd := exec.Command(reloadBin, tc.arg)
		cmd.Dir = dir
		p := launchProc(t, cmd)
		t.Cleanup(p.kill)
		waitFor(t, p.out, tc.want)
		if st := p.wait(); st != 0 {
			t.Errorf("reload %s: exit %d, want 0", tc.arg, st)
		}
	}
}

// TestHostileFileNamesAreEscaped: a file named with an OSC title sequence,
// a BEL and a newline used to reach the terminal raw, and to forge a status
// line of its own.
func TestHostileFileNamesAreEscaped(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	p := startReload(t, dir, "app.sh")
	p.ready()
	writeFile(t, dir, "\x1b]0;pwned\x07\n[reload] forged.sh", "x")
	p.ready()
	line := waitFor(t, p.errs, "restarting:")
	if want := `\x1b]0;pwned\a\n[reload] forged.sh changed`; !strings.Contains(line, want) {
		t.Errorf("want the name escaped (%s), got %q", want, line)
	}
	p.signal(syscall.SIGTERM)
	p.wait()
	for _, l := range append([]string{line}, drain(p.errs)...) {
		if strings.ContainsAny(l, "\x1b\x07") || strings.HasPrefix(l, "[reload] forged") {
			t.Errorf("a file name reached reload's output raw: %q", l)
		}
	}
}

// TestHostileManyChangesReachTheApp: RELOAD_CHANGED is cut at 64 KiB (and
// cannot tell "a:b.txt" from "a" and "b.txt"); RELOAD_CHANGED_FILE lists
// every changed path, NUL-ended, and RELOAD_CHANGED_TRUNCATED says the
// variable was cut. The file's folder is gone when reload exits.
func TestHostileManyChangesReachTheApp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", `n=$(tr -cd '\000' < "$RELOAD_CHANGED_FILE" | wc -c)
echo "ready pid=$$ restarts=$RELOAD_RESTARTS files=$((n)) truncated=$RELOAD_CHANGED_TRUNCATED file=$RELOAD_CHANGED_FILE"
exec sleep 1000
`)
	p := startReload(t, dir, "-d", "1s", "-e", "txt", "app.sh")
	first := p.ready()
	if first["files"] != "0" || first["truncated"] != "" || first["file"] == "" {
		t.Fatalf("first start: want an empty RELOAD_CHANGED_FILE and no truncation, got %v", first)
	}
	const n = 3000
	long := strings.Repeat("a-long-file-name-", 6)
	for i := range n - 1 {
		writeFile(t, dir, fmt.Sprintf("%s%04d.txt", long, i), "x")
	}
	writeFile(t, dir, "a:b.txt", "x") // one path, though it holds the list separator
	got := p.ready()
	if got["restarts"] != "1" || got["files"] != strconv.Itoa(n) || got["truncated"] != strconv.Itoa(n) {
		t.Fatalf("want restarts=1 files=%d truncated=%d, got %v", n, n, got)
	}
	p.signal(syscall.SIGTERM)
	p.wait()
	if _, err := os.Stat(filepath.Dir(got["file"])); !os.IsNotExist(err) {
		t.Errorf("RELOAD_CHANGED_FILE's folder is still there after reload exited: %v", err)
	}
}

// TestHostileConfigOwner: a .reload.toml found above the start folder that
// belongs to another user is refused (its cmd would run as you), unless its
// folder is in RELOAD_TRUSTED_DIRS; a project whose folder and config
// belong to the same other user (a bind mount, for root in a container) runs.
func TestHostileConfigOwner(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("giving files to another user needs root")
	}
	const stranger = 12345
	chown := func(p string) {
		t.Helper()
		if err := os.Chown(p, stranger, stranger); err != nil {
			t.Fatal(err)
		}
	}
	planted := t.TempDir()
	writeFile(t, planted, "app.sh", readyApp)
	cfg := writeFile(t, planted, ".reload.toml", "cmd = [\"sh\", \""+filepath.Join(planted, "app.sh")+"\"]\n")
	chown(cfg)
	mine := filepath.Join(planted, "mine")
	if err := os.Mkdir(mine, 0o755); err != nil {
		t.Fatal(err)
	}

	t.Run("planted above", func(t *testing.T) {
		st, stderr := runReload(t, mine)
		oneLineError(t, st, stderr, cfg+": belongs to uid 12345")
		for _, want := range []string{"--config " + cfg, "RELOAD_TRUSTED_DIRS"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("the error does not say how to trust it (%q):\n%s", want, stderr)
			}
		}
	})
	t.Run("trusted folder", func(t *testing.T) {
		p := startReloadIn(t, launch{dir: mine, env: []string{"RELOAD_TRUSTED_DIRS=/nowhere" + string(os.PathListSeparator) + planted}})
		p.ready()
	})
	t.Run("given with --config", func(t *testing.T) {
		p := startReload(t, mine, "--config", cfg)
		p.ready()
	})
	t.Run("their own project", func(t *testing.T) {
		theirs := t.TempDir()
		writeFile(t, theirs, "app.sh", readyApp)
		chown(writeFile(t, theirs, ".reload.toml", "cmd = [\"sh\", \"app.sh\"]\n"))
		chown(theirs)
		p := startReload(t, theirs)
		p.ready()
	})
}
