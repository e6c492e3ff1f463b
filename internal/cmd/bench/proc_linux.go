//go:build linux

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat.
// It is 100 on every Linux architecture Go supports.
const clockTicks = 100

// startGroup starts cmd as the leader of a new process group, so one signal
// to the group reaches the tool and every child it keeps in its group.
// Pdeathsig kills the tool if the bench itself is killed outright.
func startGroup(cmd *exec.Cmd) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	return cmd.Start()
}

// signalGroup signals process group pgid; a group that is gone is not an error.
func signalGroup(pgid int, sig syscall.Signal) error {
	if pgid <= 1 {
		return fmt.Errorf("refusing to signal process group %d", pgid)
	}
	if err := syscall.Kill(-pgid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		return err
	}
	return nil
}

// becomeSubreaper makes the bench adopt the processes its tools leave
// behind (an app in its own group whose tool died), so cleanup can find
// them by parent pid.
func becomeSubreaper() error {
	return unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
}

// procStat is what /proc/<pid>/stat says about one process.
type procStat struct {
	state      byte // R, S, D, Z (a zombie: exited, not yet waited for) …
	ppid, pgrp int
	cpu        time.Duration // utime + stime, all threads
}

func readStat(pid int) (procStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	// comm may hold spaces and parentheses: the fields start after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, fmt.Errorf("/proc/%d/stat: no ')'", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 { // state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
		return procStat{}, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	var n [4]int64
	for k, idx := range []int{1, 2, 11, 12} {
		if n[k], err = strconv.ParseInt(f[idx], 10, 64); err != nil {
			return procStat{}, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
	}
	return procStat{
		state: f[0][0],
		ppid:  int(n[0]),
		pgrp:  int(n[1]),
		cpu:   time.Duration(n[2]+n[3]) * time.Second / clockTicks,
	}, nil
}

// gone reports whether process pid has exited (a zombie counts).
func gone(pid int) bool {
	st, err := readStat(pid)
	return err != nil || st.state == 'Z' || st.state == 'X'
}

// memory reads VmRSS (resident now) and VmHWM (peak resident) in KiB.
func memory(pid int) (rssKB, hwmKB int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/%d/status %s: %w", pid, k, err)
		}
		if k == "VmRSS" {
			rssKB = n
		} else {
			hwmKB = n
		}
	}
	if rssKB == 0 || hwmKB == 0 {
		return rssKB, hwmKB, fmt.Errorf("/proc/%d/status: no VmRSS/VmHWM (a zombie?)", pid)
	}
	return rssKB, hwmKB, sc.Err()
}

// helpers lists the processes below pid that are not the app's: below
// pid, not app and not below app (reload's watchdog, a shell a tool runs
// the app through).
func helpers(pid, app int) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, err := readStat(p); err == nil {
			children[st.ppid] = append(children[st.ppid], p)
		}
	}
	var out []int
	var walk func(p int, depth int)
	walk = func(p int, depth int) {
		for _, c := range children[p] {
			if c == app || depth > 32 {
				continue
			}
			out = append(out, c)
			walk(c, depth+1)
		}
	}
	walk(pid, 0)
	return out
}

// adopted lists the pids whose parent is the bench: with the bench a
// subreaper, these are processes a stopped tool left behind.
func adopted() []int {
	self := os.Getpid()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, err := readStat(pid); err == nil && st.ppid == self {
			pids = append(pids, pid)
		}
	}
	return pids
}

// reapLeftovers SIGKILLs the group of every process the bench adopted and
// waits for each, so no app outlives its measurement. It returns how many
// it found. Only call it when the bench has no exec.Cmd of its own running:
// it reaps every child it finds.
func reapLeftovers() int {
	pids := adopted()
	for _, pid := range pids {
		if st, err := readStat(pid); err == nil && st.pgrp > 1 && st.pgrp != syscall.Getpgrp() {
			_ = signalGroup(st.pgrp, syscall.SIGKILL)
		}
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	for _, pid := range pids {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			var ws syscall.WaitStatus
			got, err := syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
			if got == pid || err != nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return len(pids)
}

// rssSplit reads /proc/<pid>/smaps_rollup: how much of the resident set is
// anonymous memory (heap, stacks, runtime) and how much is file-backed
// (pages of the binary and its libraries), in KiB.
func rssSplit(pid int) (anonKB, fileKB int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0, 0, err
	}
	var rss int64
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || (k != "Rss" && k != "Anonymous") {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/%d/smaps_rollup %s: %w", pid, k, err)
		}
		if k == "Rss" {
			rss = n
		} else {
			anonKB = n
		}
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("/proc/%d/smaps_rollup: no Rss", pid)
	}
	return anonKB, rss - anonKB, nil
}

// loadSampler reads the 1-minute load average every 5 s while the bench
// runs: other work on a shared machine shows in it.
type loadSampler struct {
	stopC chan struct{}
	done  chan struct{}
	got   []float64
}

func startLoadSampler() *loadSampler {
	l := &loadSampler{stopC: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			if f := strings.Fields(readTrim("/proc/loadavg")); len(f) > 0 {
				if v, err := strconv.ParseFloat(f[0], 64); err == nil {
					l.got = append(l.got, v)
				}
			}
			select {
			case <-l.stopC:
				return
			case <-t.C:
			}
		}
	}()
	return l
}

// stop ends the sampling (a second call is a no-op) and returns the samples.
func (l *loadSampler) stop() []float64 {
	select {
	case <-l.stopC:
	default:
		close(l.stopC)
	}
	<-l.done
	return l.got
}
