//go:build linux

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestCrashLoopSoak runs 1,000 crash restarts (after a warm-up) and checks
// that reload's open files stay the same, its memory stays flat and no
// crashed app is left (SPEC §5: 1,000 restarts). It builds reload without
// -race and takes 10-30 s, so it runs only with RELOAD_SOAK=1 (make
// bench-crash). The runner package checks its goroutines over 200 crash
// restarts in the default run.
func TestCrashLoopSoak(t *testing.T) {
	if os.Getenv("RELOAD_SOAK") == "" {
		t.Skip("set RELOAD_SOAK=1 to run 1,000 crash restarts")
	}
	// RSS climbs for the first few hundred restarts while the GC heap
	// settles; the 1,000 measured restarts come after that.
	const first, last = 400, 1400
	dir := crashProject(t, `echo "ready pid=$$ restarts=$RELOAD_RESTARTS"
case $RELOAD_RESTARTS in `+strconv.Itoa(first)+"|"+strconv.Itoa(last)+`)
	while [ ! -e "go$RELOAD_RESTARTS" ]; do sleep 0.01; done;;
esac
exit 1
`, `initial = "1ms"
max = "1ms"
reset_after = "1h"
max_crashes = `+strconv.Itoa(last+1))
	// A plain build, as users run it: the race detector's own bookkeeping
	// grows by about 2 kB per goroutine ever started, which would hide the
	// figure that matters.
	bin := filepath.Join(t.TempDir(), "reload")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building reload: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "--no-watch", "--on-crash", "app.sh")
	cmd.Dir = dir
	p := launchProc(t, cmd)
	t.Cleanup(p.kill)
	reload := cmd.Process.Pid

	// checkpoint waits for start n, which pauses until released, and
	// measures reload once its open files have settled (a start in
	// progress holds a few for a moment).
	var pids []int
	checkpoint := func(n int) (fds, rssKB int) {
		t.Helper()
		for {
			f := p.ready()
			pids = append(pids, mustAtoi(t, f["pid"]))
			if f["restarts"] == strconv.Itoa(n) {
				break
			}
		}
		prev, same := -1, 0
		for deadline := time.Now().Add(within); same < 5; time.Sleep(10 * time.Millisecond) {
			if fds = openFDs(t, reload); fds == prev {
				same++
			} else {
				prev, same = fds, 0
			}
			if time.Now().After(deadline) {
				t.Fatalf("reload's open files never settled at start %d", n)
			}
		}
		rssKB = statusKB(t, reload, "VmRSS:")
		writeFile(t, dir, "go"+strconv.Itoa(n), "")
		return fds, rssKB
	}
	fds1, rss1 := checkpoint(first)
	fds2, rss2 := checkpoint(last)
	t.Logf("reload after %d starts: %d fds, %d kB RSS; after %d: %d fds, %d kB RSS",
		first+1, fds1, rss1, last+1, fds2, rss2)
	if fds2 != fds1 {
		t.Errorf("open files went from %d to %d over %d crash restarts", fds1, fds2, last-first)
	}
	// The GC lets garbage reach a 4 MB goal between collections, so RSS
	// moves by a few hundred kB; a leak of 2 kB per restart would pass 1.6 MB.
	if rss2 > rss1+1536 {
		t.Errorf("RSS grew from %d kB to %d kB over %d crash restarts", rss1, rss2, last-first)
	}
	if st := p.wait(); st != 1 {
		t.Fatalf("want the app's status 1 after max_crashes, got %d", st)
	}
	if n := countContaining(drain(p.errs), "app crashed"); n != last+1 {
		t.Errorf("%d crash lines; want %d", n, last+1)
	}
	for _, pid := range pids {
		assertNoProcess(t, pid, "once reload exited")
	}
}

// openFDs counts pid's open file descriptors.
func openFDs(t *testing.T, pid int) int {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join("/proc", strconv.Itoa(pid), "fd"))
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// statusKB reads a "Key:   N kB" line of /proc/<pid>/status.
func statusKB(t *testing.T, pid int, key string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == key {
			return mustAtoi(t, f[1])
		}
	}
	t.Fatalf("no %s in /proc/%d/status", key, pid)
	return 0
}
