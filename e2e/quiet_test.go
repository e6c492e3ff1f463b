//go:build unix

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// These tests run reload at its default quiet period (no --delay), where
// watcher/debounce.go offers a lone save settle after its last event, and a
// burst (an event 1 ms or more after the batch's first, or several files at
// once) delay after its last.
const (
	settle       = 5 * time.Millisecond
	defaultDelay = 50 * time.Millisecond
)

// At these lengths the scheduler of a small, shared machine can split a
// burst for real, on either side of the inotify queue: a writer that stalls
// past settle before its burst shows (or past delay later) has written two
// bursts; and reload's thread that reads the events can wait as long for a
// CPU while the thread that times the quiet period runs, so the timer ends
// the batch with events still unread. Two restarts are then right. A longer
// --delay (as TestStormIsOneRestart uses) would hide both but would not test
// the default. So a try records its writes' times and how long each of
// reload's threads waited for a CPU (Linux schedstat), and a try showing a
// stall that could split it does not count: it runs again, in a fresh
// project. A try that counts must come out exactly right. (Stalls of all of
// reload, as in a GC pause, the watcher itself allows for: its timer is late.)
const maxTries = 20

// try records one attempt at a test's input.
type try struct {
	mu      sync.Mutex
	writes  []time.Time // when each write began and ended
	samples []sample    // reload's threads' time on run queues
	voided  string      // why the try does not count, seen other than by time
	stop    chan struct{}
	stopped chan struct{}
}

// sample is, for each thread of reload (by id), how long it had waited on
// a run queue in all, and how many times it had been given a CPU.
type sample struct {
	at      time.Time
	threads map[string]sched
}

type sched struct {
	wait time.Duration
	runs int64
}

// write runs one write of the input between two marks.
func (r *try) write(w func() error) error {
	r.mark()
	err := w()
	r.mark()
	return err
}

func (r *try) mark() {
	r.mu.Lock()
	r.writes = append(r.writes, time.Now())
	r.mu.Unlock()
}

func (r *try) void(why string) {
	r.mu.Lock()
	r.voided = why
	r.mu.Unlock()
}

// watch samples reload's threads' time on run queues until end is called.
// Where there is no schedstat, it records nothing.
func (r *try) watch(pid int) {
	r.stop, r.stopped = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(r.stopped)
		tick := time.NewTicker(2 * time.Millisecond) // sampling, not waiting
		defer tick.Stop()
		for {
			s := sample{time.Now(), threadScheds(pid)}
			if s.threads == nil {
				return
			}
			r.mu.Lock()
			r.samples = append(r.samples, s)
			r.mu.Unlock()
			select {
			case <-r.stop:
				return
			case <-tick.C:
			}
		}
	}()
}

// end stops watching; the try's reload has acted on all its writes.
func (r *try) end() {
	if r.stop != nil {
		close(r.stop)
		<-r.stopped
	}
}

// threadScheds reads /proc/<pid>/task/<tid>/schedstat for each thread of
// pid: time on the CPU, time waiting on a run queue, times given a CPU.
func threadScheds(pid int) map[string]sched {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	scheds := map[string]sched{}
	for _, task := range tasks {
		b, err := os.ReadFile(filepath.Join(dir, task.Name(), "schedstat"))
		f := bytes.Fields(b)
		if err != nil || len(f) < 3 {
			continue
		}
		wait, err1 := strconv.ParseInt(string(f[1]), 10, 64)
		runs, err2 := strconv.ParseInt(string(f[2]), 10, 64)
		if err1 == nil && err2 == nil {
			scheds[task.Name()] = sched{time.Duration(wait), runs}
		}
	}
	return scheds
}

// splittable says why the try may legitimately be more than one restart, or
// "" when it must be exactly one: a pause in the writes, or a thread of
// reload kept from a CPU, as long as the quiet period less a margin (a
// millisecond of settle before the burst shows, in its first 3 ms; half of
// delay after). A thread was kept from a CPU that long if between two
// samples it waited that long on run queues and ran at most once.
func (r *try) splittable() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.voided != "" {
		return r.voided
	}
	if len(r.writes) == 0 {
		return ""
	}
	start := slices.MinFunc(r.writes, time.Time.Compare)
	limit := func(at time.Time) time.Duration {
		if at.Sub(start) < 3*time.Millisecond { // the watcher may not see a burst yet
			return settle - time.Millisecond
		}
		return defaultDelay / 2
	}
	at := slices.SortedFunc(slices.Values(r.writes), time.Time.Compare)
	for i := 1; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap >= limit(at[i-1]) {
			return fmt.Sprintf("nothing was written for %v, %v into the burst", gap, at[i-1].Sub(start))
		}
	}
	for j, s := range r.samples {
		if !s.at.After(start) {
			continue
		}
		for tid, now := range s.threads {
			for i := j - 1; i >= 0; i-- {
				then := r.samples[i].threads[tid] // zero for a thread new since
				if now.runs-then.runs > 1 {
					break
				}
				from := r.samples[i].at
				if from.Before(start) {
					from = start
				}
				if wait := now.wait - then.wait; wait >= limit(from) {
					return fmt.Sprintf("a thread of reload waited %v for a CPU, %v into the burst", wait, from.Sub(start))
				}
			}
		}
	}
	return ""
}

// untilShaped runs a try of the input, each time in a fresh project, until
// one counts (see splittable), and returns that try's reload, project and
// first restart. input writes in dir while r records; it returns reload
// after the first restart.
func untilShaped(t *testing.T, input func(dir string, r *try) (*proc, map[string]string)) (*proc, string, map[string]string) {
	t.Helper()
	var why string
	for n := 1; n <= maxTries; n++ {
		dir := t.TempDir()
		r := &try{}
		p, first := input(dir, r)
		r.end()
		if why = r.splittable(); why == "" {
			return p, dir, first
		}
		t.Logf("try %d does not count: %s", n, why)
		p.kill()
	}
	t.Fatalf("no try of %d counted (the last: %s): the machine is too busy, or the quiet period splits saves", maxTries, why)
	return nil, "", nil
}

// startQuiet starts reload at default settings in dir, watching every
// file, with app.sh (readyApp unless dir has one), waits for the first
// start and has r watch reload.
func startQuiet(t *testing.T, dir string, r *try) *proc {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, "app.sh")); err != nil {
		writeFile(t, dir, "app.sh", readyApp)
	}
	p := startReload(t, dir, "--", "sh", "app.sh")
	if first := p.ready(); first["restarts"] != "0" {
		t.Fatalf("first start: %v", first)
	}
	r.watch(p.cmd.Process.Pid)
	return p
}

// oneRestart checks that first, the app's first restart, was caused by
// want alone, and that nothing else came of the writes (see sentinel).
func oneRestart(t *testing.T, p *proc, dir string, first map[string]string, want string) {
	t.Helper()
	if first["restarts"] != "1" || first["changed"] != want {
		t.Fatalf("want restart 1 with changed=%s, got %v", want, first)
	}
	sentinel(t, p, dir)
}

// sentinel proves that the writes before it made one restart and no more:
// a file made after that restart must make restart 2. It is renamed into
// place from an ignored name, so its one event cannot be split.
func sentinel(t *testing.T, p *proc, dir string) {
	t.Helper()
	tmp := writeFile(t, dir, "sentinel.txt~", "x")
	if err := os.Rename(tmp, filepath.Join(dir, "sentinel.txt")); err != nil {
		t.Fatal(err)
	}
	if s := p.ready(); s["restarts"] != "2" || s["changed"] != "sentinel.txt" {
		t.Fatalf("the writes made more than one restart: the sentinel's start is %v", s)
	}
}

func TestQuietAtomicSave(t *testing.T) {
	t.Parallel()
	p, dir, first := untilShaped(t, func(dir string, r *try) (*proc, map[string]string) {
		writeFile(t, dir, "lib.txt", "v1")
		p := startQuiet(t, dir, r)
		tmp := filepath.Join(dir, ".lib.txt.tmp123") // not ignored: it must be folded away
		err := r.write(func() error { return os.WriteFile(tmp, []byte("v2"), 0o644) })
		if err == nil {
			err = r.write(func() error { return os.Rename(tmp, filepath.Join(dir, "lib.txt")) })
		}
		if err != nil {
			t.Fatal(err)
		}
		return p, p.ready()
	})
	oneRestart(t, p, dir, first, "lib.txt")
}

func TestQuietSedInPlace(t *testing.T) {
	t.Parallel()
	sed, err := exec.LookPath("sed")
	if err != nil {
		t.Skip("no sed")
	}
	p, dir, first := untilShaped(t, func(dir string, r *try) (*proc, map[string]string) {
		writeFile(t, dir, "lib.txt", "v1\n")
		p := startQuiet(t, dir, r)
		r.mark()
		if out, err := exec.Command(sed, "-i", "s/v1/v2/", filepath.Join(dir, "lib.txt")).CombinedOutput(); err != nil {
			t.Fatalf("sed -i: %v: %s", err, out)
		}
		// sed's own writes cannot be marked (its start-up alone outlasts
		// settle). A stall inside sed shows instead as a restart for its
		// temp file alone, which must then have stood, not yet renamed,
		// for a whole settle after its create was seen.
		first := p.ready()
		if c := first["changed"]; strings.HasPrefix(c, "sed") && !strings.Contains(c, "lib.txt") {
			r.void(fmt.Sprintf("sed kept its temp file %s for %v", c, settle))
		}
		return p, first
	})
	oneRestart(t, p, dir, first, "lib.txt")
}

func TestQuietSaveAllIsOneRestart(t *testing.T) {
	t.Parallel()
	files := []string{"f1.txt", "f2.txt", "f3.txt", "f4.txt", "f5.txt"}
	p, dir, first := untilShaped(t, func(dir string, r *try) (*proc, map[string]string) {
		for _, f := range files {
			writeFile(t, dir, f, "v1")
		}
		p := startQuiet(t, dir, r)
		for i, f := range files {
			if i > 0 {
				time.Sleep(2 * time.Millisecond) // the input's shape, not a wait
			}
			if err := r.write(func() error { return os.WriteFile(filepath.Join(dir, f), []byte("v2"), 0o644) }); err != nil {
				t.Fatal(err)
			}
		}
		return p, p.ready()
	})
	oneRestart(t, p, dir, first, strings.Join(files, string(os.PathListSeparator)))
}

func TestQuietStormIsOneRestart(t *testing.T) {
	t.Parallel()
	// A stall past delay between two writes does split 2,000 writes in two
	// bursts, rightly, and on a busy machine writing them takes a second or
	// more, with such stalls in most tries. So the input is shaped: reload
	// is stopped (SIGSTOP) while the files are written and continued after,
	// so that however the scheduler spaced the writes, their events reach
	// reload at once, as a checkout's do. What is left, reload's own stalls
	// while it reads them, the try watches for. The folders exist
	// beforehand, so each file is an event of its own (TestStormIsOneRestart
	// covers folders made in a storm).
	const n = 2000
	p, dir, first := untilShaped(t, func(dir string, r *try) (*proc, map[string]string) {
		for d := range 50 {
			if err := os.MkdirAll(filepath.Join(dir, fmt.Sprintf("storm/d%02d", d)), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		p := startQuiet(t, dir, r)
		p.signal(syscall.SIGSTOP)
		for i := range n {
			writeFile(t, dir, fmt.Sprintf("storm/d%02d/f%04d.txt", i%50, i), "x")
		}
		r.mark()
		p.signal(syscall.SIGCONT)
		return p, p.ready()
	})
	if first["restarts"] != "1" {
		t.Fatalf("storm: want restart 1, got %v", first)
	}
	if l := waitFor(t, p.errs, "restarting:"); !strings.Contains(l, fmt.Sprintf("(+%d more)", n-1)) {
		t.Fatalf("the restart must name all %d files: %s", n, l)
	}
	sentinel(t, p, dir)
}

// sizeApp is readyApp that also says how big big.bin is when it starts.
const sizeApp = `echo "ready pid=$$ restarts=$RELOAD_RESTARTS size=$(($(wc -c < big.bin))) changed=$RELOAD_CHANGED"
exec sleep 1000
`

func TestQuietChunkedWriteIsOneRestartOfTheWholeFile(t *testing.T) {
	t.Parallel()
	const size, chunk = 5 << 20, 64 << 10
	p, dir, first := untilShaped(t, func(dir string, r *try) (*proc, map[string]string) {
		writeFile(t, dir, "big.bin", "")
		writeFile(t, dir, "app.sh", sizeApp)
		p := startQuiet(t, dir, r)
		var f *os.File
		err := r.write(func() (err error) {
			f, err = os.OpenFile(filepath.Join(dir, "big.bin"), os.O_WRONLY|os.O_TRUNC, 0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		buf := make([]byte, chunk)
		for i := 0; i < size; i += chunk {
			if i > 0 {
				time.Sleep(time.Millisecond) // the input's shape, not a wait
			}
			if err := r.write(func() error { _, err := f.Write(buf); return err }); err != nil {
				t.Fatal(err)
			}
		}
		return p, p.ready()
	})
	if first["restarts"] != "1" || first["changed"] != "big.bin" || first["size"] != fmt.Sprint(size) {
		t.Fatalf("want restart 1 for big.bin, reading all %d bytes; got %v", size, first)
	}
	sentinel(t, p, dir)
}
