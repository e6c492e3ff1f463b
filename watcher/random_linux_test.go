package watcher

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRandomOps drives random file operations (create, write, atomic save,
// touch, mkdir -p deep + write, rename a folder, delete a file or a folder,
// delete and recreate, writes to ignored paths) against the real watcher in
// both modes, and checks the batches against the ground truth kept by the
// test: every file whose state changed in a round is named by a batch
// (itself, or a removed folder above it); no batch names an ignored path or
// a path no operation touched.
//
// It drives the watcher rather than the binary: batches are what the
// property is about, and reading them directly checks every one, in both
// backends, hundreds of operations a second. The binary adds restarts, whose
// changes during a stop fold into the next start, which would blur the
// check without testing more of the watcher; the e2e tests cover that path.
//
// make test runs one fixed seed; make fuzz runs random seeds for
// RELOAD_FUZZ (a duration); RELOAD_FUZZ_SEED=n replays one seed.
func TestRandomOps(t *testing.T) {
	seeds, ops, until := []uint64{1}, 250, time.Time{}
	if s := os.Getenv("RELOAD_FUZZ_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("RELOAD_FUZZ_SEED=%q: %v", s, err)
		}
		seeds, ops = []uint64{n}, 2000
	} else if s := os.Getenv("RELOAD_FUZZ"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("RELOAD_FUZZ=%q: want a duration like 5m: %v", s, err)
		}
		seeds, ops, until = nil, 2000, time.Now().Add(d)
	}
	bothModes(t, func(t *testing.T, poll time.Duration) {
		if until.IsZero() {
			for _, seed := range seeds {
				randomOps(t, seed, ops, poll)
			}
			return
		}
		for time.Now().Before(until) && !t.Failed() {
			seed := rand.Uint64() >> 1
			randomOps(t, seed, ops, poll)
			t.Logf("seed %d: %d operations checked", seed, ops)
		}
	})
}

// randomOps runs one seed's operations in a fresh tree.
func randomOps(t *testing.T, seed uint64, ops int, poll time.Duration) {
	t.Helper()
	root := tempRoot(t)
	write(t, filepath.Join(root, ".gitignore"), "build/\n*.tmp\n")
	m := &model{t: t, root: root, rnd: rand.New(rand.NewPCG(seed, 0)), files: map[string]int{}, dirs: map[string]bool{},
		touched: map[string]bool{}, removed: map[string]bool{}, replaced: map[string]bool{}, polled: poll > 0}
	for _, d := range []string{"d0", "d1/d2"} {
		m.mkdirs(d)
		m.create(d + "/f0.js")
	}
	w, err := New(Options{Root: root, Paths: []string{root}, Ignore: []string{"*.log", "dist/**"}, Gitignore: true,
		Delay: 20 * time.Millisecond, Poll: poll})
	if err != nil {
		t.Fatal(err)
	}
	run(t, w)
	// One sentinel suffices with events: inotify keeps them in order. A
	// scan can pass a folder before an operation and find the sentinel
	// after it, so polling needs a second, written once the first is seen.
	handshakes := 1
	if poll > 0 {
		handshakes = 2
	}
	for round, done := 0, 0; done < ops; round++ {
		before := maps.Clone(m.files)
		m.touched, m.removed, m.replaced, m.ops = map[string]bool{}, map[string]bool{}, map[string]bool{}, nil
		for k := 1 + m.rnd.IntN(5); k > 0; k-- {
			m.step()
			done++
		}
		seen := map[string]bool{}
		for h := range handshakes {
			sentinel := fmt.Sprintf("zz-sentinel-%d-%d", round, h)
			write(t, filepath.Join(root, sentinel), "x")
			m.touched[sentinel] = true
			for deadline := time.After(patience); !seen[sentinel]; {
				select {
				case b := <-w.Batches():
					if b.Rescan {
						t.Fatalf("seed %d round %d: a rescan batch, with no events lost", seed, round)
					}
					for _, p := range b.Paths {
						seen[p] = true
					}
				case <-deadline:
					m.fail(seed, round, fmt.Sprintf("no batch named %s within %v", sentinel, patience))
				}
			}
		}
		m.check(seed, round, before, seen)
	}
}

// model is the ground truth: the watched files (rel → version) and folders.
type model struct {
	t        *testing.T
	root     string
	rnd      *rand.Rand
	files    map[string]int
	dirs     map[string]bool
	version  int
	touched  map[string]bool // every path this round's operations named, with its ancestors
	removed  map[string]bool // folders removed or renamed away this round
	replaced map[string]bool // files replaced by a rename (atomic save) this round
	polled   bool
	ops      []string // this round's
	history  []string // every round's
}

// check compares a round's batches with what changed.
func (m *model) check(seed uint64, round int, before map[string]int, seen map[string]bool) {
	var missing, wrong []string
	for _, p := range slices.Sorted(maps.Keys(unionKeys(before, m.files))) {
		if before[p] == m.files[p] || seen[p] {
			continue
		}
		_, exists := m.files[p]
		if !exists && removedAncestor(p, seen, m.removed) {
			continue // its folder went, and is named
		}
		if !exists && m.replaced[p] && !m.polled {
			// The one known blind spot of events: replaced by a rename
			// and then deleted within a quiet period. inotify reports the
			// rename's target as created, like an editor's temp file that
			// came and went, which the debouncer drops (see README).
			continue
		}
		missing = append(missing, p)
	}
	for _, p := range slices.Sorted(maps.Keys(seen)) {
		switch {
		case ignored(p):
			wrong = append(wrong, p+" (ignored)")
		case !m.touched[p] && !strings.HasPrefix(p, "zz-sentinel-"):
			// An earlier sentinel may come again: a scan can see a file
			// created and not yet written, then written.
			wrong = append(wrong, p+" (untouched)")
		}
	}
	if len(missing) > 0 || len(wrong) > 0 {
		m.fail(seed, round, fmt.Sprintf("changes never reported: %q; reported wrongly: %q", missing, wrong))
	}
}

func (m *model) fail(seed uint64, round int, msg string) {
	m.t.Helper()
	earlier := m.history[max(0, len(m.history)-len(m.ops)-30) : len(m.history)-len(m.ops)]
	m.t.Fatalf("seed %d, round %d: %s\nearlier operations:\n  %s\noperations of the round:\n  %s\nreplay: RELOAD_FUZZ_SEED=%d go test -race -run 'TestRandomOps' ./watcher/",
		seed, round, msg, strings.Join(earlier, "\n  "), strings.Join(m.ops, "\n  "), seed)
}

// removedAncestor reports whether a folder above p is named and was removed
// or renamed away this round.
func removedAncestor(p string, seen, removed map[string]bool) bool {
	for d := parentRel(p); d != ""; d = parentRel(d) {
		if seen[d] && removed[d] {
			return true
		}
	}
	return false
}

// ignored is the test's own oracle of the filters set up in randomOps:
// built-ins, the user globs *.log and dist/**, and .gitignore's build/ and *.tmp.
func ignored(p string) bool {
	segs := strings.Split(p, "/")
	if segs[0] == "dist" {
		return true
	}
	for _, s := range segs {
		if s == "node_modules" || s == "build" || s == ".git" {
			return true
		}
	}
	base := segs[len(segs)-1]
	return strings.HasSuffix(base, ".log") || strings.HasSuffix(base, ".tmp") || strings.HasSuffix(base, ".swp")
}

func unionKeys(a, b map[string]int) map[string]int {
	u := maps.Clone(a)
	maps.Copy(u, b)
	return u
}

func parentRel(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}
