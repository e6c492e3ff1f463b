//go:build linux

package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A watched folder whose file system is unmounted is said once, and watched
// again when a file system is mounted there again. Run for real in a mount
// namespace of reload's own (tmpfs mounted on the folder before reload
// starts); root and util-linux's unshare, nsenter and mount are needed.
func TestWatchUnmountedRoot(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"unshare", "nsenter", "mount", "umount"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (util-linux); cannot mount in a namespace of its own", tool)
		}
	}
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "src")
	if err := os.Mkdir(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("unshare", "--mount", "--propagation", "private",
		"mount", "-t", "tmpfs", "tmpfs", src).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs in a new mount namespace here (needs root): %v: %s", err, bytes.TrimSpace(out))
	}
	writeFile(t, dir, "app.sh", readyApp)
	// unshare and sh exec, so the process started is reload itself.
	cmd := exec.Command("unshare", "--mount", "--propagation", "private", "sh", "-c",
		`mount -t tmpfs tmpfs "$1" && shift && exec "$@"`, "sh", src,
		reloadBin, "--watch", "src", "--", "sh", "app.sh")
	cmd.Dir = dir
	p := launchProc(t, cmd)
	t.Cleanup(p.kill)
	p.ready()
	// Paths are absolute: nsenter keeps a working directory of the test's namespace.
	inMounts := func(script string) {
		t.Helper()
		c := exec.Command("nsenter", "-t", strconv.Itoa(cmd.Process.Pid), "-m", "sh", "-c", script, "sh", src)
		c.WaitDelay = within
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("nsenter %q: %v: %s", script, err, out)
		}
	}

	inMounts(`umount "$1"`)
	waitFor(t, p.errs, src+" was unmounted; watching for it to come back")
	inMounts(`mount -t tmpfs tmpfs "$1"`)
	waitFor(t, p.errs, src+" is mounted again; watching it")
	inMounts(`echo x > "$1/app.js"`)
	waitFor(t, p.out, "src/app.js") // the next start's changed= names it: the new mount is watched
	for _, l := range drain(p.errs) {
		if strings.Contains(l, "unmounted") {
			t.Errorf("a second warning: %q", l)
		}
	}
}
