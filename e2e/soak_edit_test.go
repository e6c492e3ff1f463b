//go:build linux

package e2e

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRandomEditSoak edits files at random for RELOAD_SOAK_EDITS (a
// duration, e.g. 5m; make soak) — single saves, atomic saves, bursts — and
// checks that every edited path reached the app in RELOAD_CHANGED_FILE,
// that reload's open files did not grow, and that the app restarted. It logs
// edits, restarts, missed paths, and reload's fds and RSS at start and end.
func TestRandomEditSoak(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("RELOAD_SOAK_EDITS"))
	if err != nil {
		t.Skip("set RELOAD_SOAK_EDITS=5m to edit files at random for five minutes")
	}
	dir := t.TempDir()
	// The app copies the changed paths of its start into seen/<n> (outside
	// the watched src/).
	writeFile(t, dir, "app.sh", `mkdir -p seen
[ -n "$RELOAD_CHANGED_FILE" ] && tr '\0' '\n' < "$RELOAD_CHANGED_FILE" > "seen/$RELOAD_RESTARTS"
echo "ready pid=$$ restarts=$RELOAD_RESTARTS"
exec sleep 1000
`)
	src := filepath.Join(dir, "src")
	var files []string
	for i := range 200 {
		files = append(files, filepath.Join(fmt.Sprintf("d%d", i%20), fmt.Sprintf("f%d.txt", i)))
		writeFile(t, src, files[i], "0\n")
	}
	bin := filepath.Join(t.TempDir(), "reload")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building reload: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-w", "src", "--", "sh", "app.sh")
	cmd.Dir = dir
	p := launchProc(t, cmd)
	t.Cleanup(p.kill)
	go func() { // keep the app's lines flowing; restarts are counted from seen/
		for range p.out {
		}
	}()
	reload := cmd.Process.Pid
	time.Sleep(time.Second) // the input's shape: let set-up finish before measuring
	fds0, rss0 := openFDs(t, reload), statusKB(t, reload, "VmRSS:")
	edited := map[string]bool{}
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	edits := 0
	for end := time.Now().Add(d); time.Now().Before(end); {
		n := 1
		if rng.IntN(10) == 0 {
			n = 2 + rng.IntN(30) // a burst: save-all, a checkout
		}
		for range n {
			f := files[rng.IntN(len(files))]
			path := filepath.Join(src, f)
			body := []byte(fmt.Sprintf("%d\n", edits))
			if rng.IntN(3) == 0 { // an editor's atomic save
				tmp := path + ".tmp~"
				if err := os.WriteFile(tmp, body, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(tmp, path); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(path, body, 0o644); err != nil {
				t.Fatal(err)
			}
			edited[filepath.ToSlash(filepath.Join("src", f))] = true
			edits++
		}
		time.Sleep(time.Duration(rng.IntN(400)) * time.Millisecond) // the input's pace, not a wait
	}
	time.Sleep(2 * time.Second) // the last edits' restart
	fds1, rss1 := openFDs(t, reload), statusKB(t, reload, "VmRSS:")
	seen := map[string]bool{}
	ents, _ := os.ReadDir(filepath.Join(dir, "seen"))
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(dir, "seen", e.Name()))
		for _, l := range strings.Split(string(b), "\n") {
			seen[l] = true
		}
	}
	var missed []string
	for f := range edited {
		if !seen[f] {
			missed = append(missed, f)
		}
	}
	t.Logf("%v of random edits: %d edits of %d files, %d restarts, %d paths missed %v; reload's fds %d → %d, RSS %d → %d kB",
		d, edits, len(edited), len(ents)-1, len(missed), missed, fds0, fds1, rss0, rss1)
	if len(missed) > 0 || fds1 > fds0 || len(ents) < 2 {
		t.Fail()
	}
}
