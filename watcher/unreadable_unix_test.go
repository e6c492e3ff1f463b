//go:build unix

package watcher

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/status"
)

// unprivileged marks the re-run of this test as an ordinary user.
const unprivileged = "RELOAD_WATCHER_TEST_UNPRIVILEGED"

func TestUnreadableSubdirWarnsAndWatchesTheRest(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		if os.Geteuid() == 0 {
			// root reads any directory whatever its mode, so nothing would be
			// unreadable: run this same test again as nobody.
			if os.Getenv(unprivileged) != "" {
				t.Fatal("still root after switching to nobody")
			}
			rerunAsNobody(t)
			return
		}
		root := tempRoot(t)
		mkdirs(t, root, "ok", "locked/inner")
		if err := os.Chmod(filepath.Join(root, "locked"), 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(filepath.Join(root, "locked"), 0o755) }) // so TempDir can remove it

		var log logBuffer
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}, Log: status.New(&log, false, status.Info)})
		lines := log.lines()
		if len(lines) != 1 || !strings.Contains(lines[0], filepath.Join(root, "locked")) {
			t.Errorf("log = %q, want one warning naming %s", lines, filepath.Join(root, "locked"))
		}
		want := 3 // root, ok, and root's parent
		if poll > 0 {
			want++ // locked is polled, to be read once it can be
		}
		if got := w.Dirs(); got != want {
			t.Errorf("Dirs() = %d, want %d", got, want)
		}
		write(t, filepath.Join(root, "ok", "x.js"), "x")
		expectBatch(t, w, "ok/x.js")
		if poll == 0 {
			return // an inotify watch keeps working whatever the folder's mode
		}

		// Polled, a folder that turns unreadable is said once, however many
		// scans fail, and is polled again once it can be read.
		ok := filepath.Join(root, "ok")
		if err := os.Chmod(ok, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(ok, 0o755) })
		deadline := time.Now().Add(patience)
		for len(log.lines()) < 2 {
			if time.Now().After(deadline) {
				t.Fatalf("no warning about %s within %v: %q", ok, patience, log.lines())
			}
			time.Sleep(pollEvery) // polling a condition with a deadline
		}
		for _, sentinel := range []string{"s1.js", "s2.js"} { // each batch is a scan more that failed on ok, silently
			write(t, filepath.Join(root, sentinel), "x")
			expectBatch(t, w, sentinel)
		}
		if err := os.Chmod(ok, 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(ok, "y.js"), "x")
		expectBatch(t, w, "ok/y.js")
		if lines := log.lines(); len(lines) != 2 || !strings.Contains(lines[1], "cannot read "+ok) {
			t.Errorf("log = %q, want one more warning, naming %s", lines, ok)
		}
	})
}

// A folder that cannot be read when it is found is watched once it can be:
// its files are reported then (they are new to reload), and changes inside
// it from then on. Found at the start, or created while running.
func TestUnreadableFolderIsWatchedOnceReadable(t *testing.T) {
	bothModes(t, func(t *testing.T, poll time.Duration) {
		if os.Geteuid() == 0 {
			if os.Getenv(unprivileged) != "" {
				t.Fatal("still root after switching to nobody")
			}
			rerunAsNobody(t)
			return
		}
		root := tempRoot(t)
		locked, later := filepath.Join(root, "locked"), filepath.Join(root, "later")
		write(t, filepath.Join(locked, "a.js"), "x")
		if err := os.Chmod(locked, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(locked, 0o755); os.Chmod(later, 0o755) })

		var log logBuffer
		w := start(t, Options{Poll: poll, Root: root, Paths: []string{root}, Log: status.New(&log, false, status.Info)})
		if lines := log.lines(); len(lines) != 1 || !strings.Contains(lines[0], locked+": permission denied; it is watched once it can be read") {
			t.Fatalf("log = %q, want one warning that %s is watched once it can be read", lines, locked)
		}
		if err := os.Chmod(locked, 0o700); err != nil {
			t.Fatal(err)
		}
		expectBatch(t, w, "locked/a.js")
		write(t, filepath.Join(locked, "b.js"), "x")
		expectBatch(t, w, "locked/b.js")

		// Created unreadable while running (as a sync tool may, setting the
		// mode before the contents), then opened up.
		if err := os.Mkdir(later, 0); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(root, "s.js"), "x") // the folder alone is no change: a sentinel proves it
		expectBatch(t, w, "s.js")
		if err := os.Chmod(later, 0o700); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(later, "c.js"), "x")
		expectBatch(t, w, "later/c.js")
		if lines := log.lines(); len(lines) != 2 || !strings.Contains(lines[1], later+": permission denied; it is watched once it can be read") {
			t.Errorf("log = %q, want a second warning, naming %s", lines, later)
		}
	})
}

// rerunAsNobody runs the test binary again, as user nobody, with only this test.
func rerunAsNobody(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// The test binary sits in a folder only root may enter: copy it out.
	dir := t.TempDir()
	if err := os.Chmod(filepath.Dir(dir), 0o711); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "watcher.test")
	copyFile(t, exe, bin)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-test.run=^"+t.Name()+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), unprivileged+"=1")
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil && cmd.ProcessState == nil {
		t.Skipf("cannot run the test as nobody (uid 65534): %v", err)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}
