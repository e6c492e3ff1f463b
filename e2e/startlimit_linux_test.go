//go:build linux

package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// A start that fails for want of file descriptors (EMFILE) is a crash to
// retry with backoff under --no-watch --on-crash, not the end of reload
// with status 126. Starting reload under a low limit would depend on how
// many descriptors it holds by then; instead the running reload's soft
// limit is lowered to 3 (prlimit(2) on another process of the same user)
// while its app runs, so every descriptor it opens fails from then on and
// the next start must, and raised again once that failure is said.
func TestNoWatchStartWithoutFilesIsRetried(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	crash := filepath.Join(dir, "crash")
	writeFile(t, dir, "app.sh", `echo "ready pid=$$ restarts=$RELOAD_RESTARTS"
while [ ! -e "$1" ]; do sleep 0.01; done
rm -f "$1"
exit 1
`)
	p := startReload(t, dir, "--no-watch", "--on-crash", "--", "sh", "app.sh", crash)
	p.ready()

	pid := p.cmd.Process.Pid
	var was unix.Rlimit
	if err := unix.Prlimit(pid, unix.RLIMIT_NOFILE, nil, &was); err != nil {
		t.Skipf("cannot read reload's open file limit: %v", err)
	}
	low := unix.Rlimit{Cur: 3, Max: was.Max}
	if err := unix.Prlimit(pid, unix.RLIMIT_NOFILE, &low, nil); err != nil {
		t.Skipf("cannot lower reload's open file limit: %v", err)
	}
	restore := func() {
		if err := unix.Prlimit(pid, unix.RLIMIT_NOFILE, &was, nil); err != nil {
			t.Errorf("restoring reload's open file limit: %v", err)
		}
	}
	defer restore() // should the test end before it restores the limit

	if err := os.WriteFile(crash, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, p.errs, "app crashed: exit code 1")
	waitFor(t, p.errs, "too many open files; restarting in")
	restore()
	if got := p.ready()["restarts"]; got == "" || got == "0" {
		t.Fatalf("restarted app says restarts=%q", got)
	}
	select {
	case <-p.done:
		t.Fatalf("reload exited (status %d); want it to keep retrying", p.status)
	default:
	}
}
