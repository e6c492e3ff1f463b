//go:build linux

package procgroup

import (
	"bytes"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/reload-dev/reload/internal/status"
)

// Reaper makes reload a child subreaper: a process that leaves the app's
// group and then loses its parent (setsid, a double-forked daemon) is
// reparented to reload instead of init, so reload can still find, stop and
// reap it. The flag is process-wide: main switches it on once, with
// NewReaper, before any build or app starts, and hands the Reaper to the
// runner. A nil *Reaper finds nothing: the app's group is all there is.
//
// What belongs to the app: the leader's descendants, and every orphan
// reparented to reload, with its descendants. What does not: reload's other
// children (a build). Go holds a pidfd for every child it started through
// os/exec until it has waited for it, and an orphan has none: that is how
// the two are told apart, and why reload never reaps a process whose status
// some cmd.Wait is about to collect. Without pidfds (Linux before 5.4) only
// orphans still in the app's group are taken, and unknown zombies are left.
// A build's own orphans are reparented to reload too: Stop reaps and ends
// what a build leaves in its group, so none outlives the build to be taken
// for the app's.
type Reaper struct {
	self    int
	log     *status.Printer
	sigchld chan os.Signal // nil when reload could not become a subreaper
	pidfd   bool           // Go tracks children with pidfds (seen at the first start)
	checked bool
	perTask bool // /proc/<pid>/task/<tid>/children exists (CONFIG_PROC_CHILDREN)
}

// NewReaper makes reload a child subreaper and listens for SIGCHLD. Call it
// once per process, from main; a failure is logged (debug) and leaves a
// Reaper that still finds the leader's descendants.
func NewReaper(log *status.Printer) *Reaper {
	if log == nil {
		log = status.Discard()
	}
	r := &Reaper{self: os.Getpid(), log: log}
	_, err := os.Stat(fmt.Sprintf("/proc/%d/task/%d/children", r.self, r.self))
	r.perTask = err == nil
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		log.Debugf("cannot become a child subreaper (%v): processes that leave the app's group may outlive it", err)
		return r
	}
	r.sigchld = make(chan os.Signal, 1)
	signal.Notify(r.sigchld, syscall.SIGCHLD)
	return r
}

// Close stops SIGCHLD delivery. reload stays a subreaper: the flag is
// process-wide and harmless.
func (r *Reaper) Close() {
	if r != nil && r.sigchld != nil {
		signal.Stop(r.sigchld)
	}
}

// Events delivers SIGCHLD: time to call ReapZombies. Nil (never ready) for
// a nil Reaper or one that is not a subreaper.
func (r *Reaper) Events() <-chan os.Signal {
	if r == nil {
		return nil
	}
	return r.sigchld
}

// NoteStart learns, at the app's first start, whether Go holds a pidfd for
// it (pid is the app's leader, just started through os/exec).
func (r *Reaper) NoteStart(pid int) {
	if r == nil || r.checked {
		return
	}
	r.checked = true
	r.pidfd = heldPidfds()[pid]
	if !r.pidfd {
		r.log.Debugf("no pidfds: only processes still in the app's group are stopped")
	}
}

// strays lists the app's processes other than its leader: the leader's
// descendants, and reload's orphans with theirs.
func (r *Reaper) strays(leader int) []stray {
	if r == nil {
		return nil
	}
	t := &tree{perTask: r.perTask}
	var out []stray
	seen := map[int]bool{r.self: true}
	var walk func(pid int)
	walk = func(pid int) {
		for _, c := range t.children(pid) {
			if seen[c] {
				continue
			}
			seen[c] = true
			if st, ok := readStat(c); ok {
				out = append(out, stray{pid: c, pgid: st.pgrp})
				walk(c)
			}
		}
	}
	var orphans []stray
	for _, c := range t.children(r.self) {
		if c == leader {
			seen[c] = true
			walk(c)
		} else if st, ok := readStat(c); ok {
			orphans = append(orphans, stray{pid: c, pgid: st.pgrp})
		}
	}
	var held map[int]bool
	if r.pidfd && len(orphans) > 0 {
		held = heldPidfds() // read after the children: a new child's pidfd exists before it runs
	}
	for _, o := range orphans {
		if seen[o.pid] || held[o.pid] || (!r.pidfd && o.pgid != leader) {
			continue
		}
		seen[o.pid] = true
		out = append(out, o)
		walk(o.pid)
	}
	return out
}

// reap collects pid if it is a zombie child of reload; anything else is a no-op.
func (r *Reaper) reap(pid int) {
	var ws unix.WaitStatus
	_, _ = unix.Wait4(pid, &ws, unix.WNOHANG, nil)
}

// ReapZombies reaps zombie children of reload other than the app's leader
// (app, 0 when none runs) and children os/exec will wait for. Reparented orphans die over time and
// nothing else would reap them; as PID 1 in a container these include
// zombies from anywhere in it. Never wait4(-1): it would steal a status a
// cmd.Wait is waiting for.
func (r *Reaper) ReapZombies(app int) {
	if r == nil || !r.pidfd || !zombieWaiting() {
		return
	}
	t := &tree{perTask: r.perTask}
	var zombies []int
	for _, c := range t.children(r.self) {
		if st, ok := readStat(c); ok && st.state == 'Z' && c != app {
			zombies = append(zombies, c)
		}
	}
	if len(zombies) == 0 {
		return
	}
	held := heldPidfds()
	for _, z := range zombies {
		if !held[z] {
			r.reap(z)
		}
	}
}

// zombieWaiting reports whether any child of reload has exited and not
// been reaped, without reaping it (WNOWAIT): one system call saves the scan
// of /proc for the usual SIGCHLD, the app's own exit, which its cmd.Wait
// has already collected. Linux zeroes info when no child is waitable.
func zombieWaiting() bool {
	var info unix.Siginfo
	err := unix.Waitid(unix.P_ALL, 0, &info, unix.WEXITED|unix.WNOHANG|unix.WNOWAIT, nil)
	return err == nil && info.Signo != 0
}

// tree answers "which processes are pid's children" from /proc: the
// per-thread children files when the kernel has them (cost grows with the
// app's tree, not the system's), else one scan of every process.
type tree struct {
	perTask  bool
	byParent map[int][]int // full-scan mode, built on first use
}

func (t *tree) children(pid int) []int {
	if t.perTask {
		return taskChildren(pid)
	}
	if t.byParent == nil {
		t.byParent = scanParents()
	}
	return t.byParent[pid]
}

// taskChildren reads /proc/<pid>/task/*/children: each thread lists the
// children it forked, or that were reparented to it.
func taskChildren(pid int) []int {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []int
	for _, task := range tasks {
		b, err := os.ReadFile(dir + "/" + task.Name() + "/children")
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

func scanParents() map[int][]int {
	byParent := map[int][]int{}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return byParent
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, ok := readStat(pid); ok {
			byParent[st.ppid] = append(byParent[st.ppid], pid)
		}
	}
	return byParent
}

type procStat struct {
	state      byte
	ppid, pgrp int
}

// readStat reads state, parent and group from /proc/<pid>/stat. The command
// name may hold spaces and parentheses, so fields start after the last ')'.
func readStat(pid int) (procStat, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 3 || len(f[0]) != 1 {
		return procStat{}, false
	}
	ppid, err1 := strconv.Atoi(f[1])
	pgrp, err2 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil {
		return procStat{}, false
	}
	return procStat{state: f[0][0], ppid: ppid, pgrp: pgrp}, true
}

// heldPidfds lists the processes reload holds a pidfd for: the children
// os/exec started and has not yet waited for.
func heldPidfds() map[int]bool {
	held := map[int]bool{}
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return held
	}
	for _, e := range ents {
		link, err := os.Readlink("/proc/self/fd/" + e.Name())
		if err != nil || !strings.Contains(link, "pidfd") {
			continue
		}
		info, err := os.ReadFile("/proc/self/fdinfo/" + e.Name())
		if err != nil {
			continue
		}
		for line := range strings.Lines(string(info)) {
			if v, ok := strings.CutPrefix(line, "Pid:"); ok {
				if pid, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && pid > 0 {
					held[pid] = true
				}
			}
		}
	}
	return held
}
