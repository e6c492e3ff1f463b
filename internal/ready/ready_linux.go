package ready

import (
	"bytes"
	"context"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

const supported = true

// scanner looks for an app's listening sockets, one scan at a time, used
// by one goroutine at a time (Finder.Wait's).
type scanner struct {
	pid  int // the app's leader, also its process group id
	port uint16
	skip uint16 // a port never named (Options.Skip)
	// others are the listening sockets found to be other processes': a
	// scan that finds only those stops before reading the process table.
	// A socket that listened before the app started is never the app's,
	// so they carry over from one app to the next. Each holds the scan
	// that last saw it; sockets gone are forgotten.
	others map[uint64]uint64
	scans  uint64
	notApp map[int]bool // processes found to be neither in the app's group nor descendants
	diag   *diag        // nil where sock_diag is not allowed: /proc/net/tcp then
	buf    []byte       // reused for /proc/net/tcp and tcp6
}

func newScanner() *scanner {
	s := &scanner{others: map[uint64]uint64{}}
	if d, err := newDiag(); err == nil {
		s.diag = d
	}
	return s
}

// reset points the scanner at a new app.
func (s *scanner) reset(pid int, port, skip uint16) {
	s.pid, s.port, s.skip, s.notApp = pid, port, skip, map[int]bool{}
}

func (s *scanner) close() {
	if s.diag != nil {
		s.diag.close()
		s.diag = nil
	}
}

// scan looks once. The cheap part comes first: the sockets listening in
// reload's network namespace. Only when one is new does it read the
// process table and the app's file descriptors.
func (s *scanner) scan(ctx context.Context) (netip.AddrPort, bool) {
	s.scans++
	var cands map[uint64]netip.AddrPort
	s.listeners(func(ino uint64, a netip.AddrPort) {
		if s.skip != 0 && a.Port() == s.skip {
			return
		}
		if _, other := s.others[ino]; other {
			s.others[ino] = s.scans
			return
		}
		if cands == nil {
			cands = map[uint64]netip.AddrPort{}
		}
		cands[ino] = a
	})
	for ino, seen := range s.others {
		if seen != s.scans {
			delete(s.others, ino) // closed: its inode number will not come back
		}
	}
	if len(cands) == 0 {
		return netip.AddrPort{}, false
	}
	found := map[uint64]netip.AddrPort{}
	collect := func(ino uint64) {
		if a, ok := cands[ino]; ok {
			found[ino] = a
		}
	}
	// Most apps listen in the leader itself: that needs no process table.
	socketsOf(s.pid, collect)
	if len(found) > 0 {
		return pick(found, s.port)
	}
	for _, pid := range s.appProcs() {
		if ctx.Err() != nil {
			return netip.AddrPort{}, false
		}
		socketsOf(pid, collect)
	}
	for ino := range cands {
		if _, ok := found[ino]; !ok {
			// It listened before this scan read the processes, so its
			// owner was among them if it was the app's.
			s.others[ino] = s.scans
		}
	}
	return pick(found, s.port)
}

// listeners calls found for each listening TCP socket: from sock_diag, or
// where that fails (a sandbox without it), from /proc/net/tcp and tcp6.
func (s *scanner) listeners(found func(uint64, netip.AddrPort)) {
	if s.diag != nil {
		if err := s.diag.listeners(found); err == nil {
			return
		}
		s.diag.close()
		s.diag = nil
	}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		if text, err := s.read(f); err == nil { // else no IPv6, or no /proc: nothing there
			parseListeners(text, found)
		}
	}
}

// read reads a whole /proc file into the reused buffer.
func (s *scanner) read(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s.buf = s.buf[:0]
	for {
		if len(s.buf) == cap(s.buf) {
			s.buf = append(s.buf, 0)[:len(s.buf)]
		}
		n, err := f.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		if err == io.EOF {
			return s.buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// appProcs lists the processes of group pgid and the descendants of its
// leader (a child that left the group with setsid is still the app's). It
// reads the stat of each process it has not ruled out before: a process
// that is neither cannot become the app's (only a new one can), so on a
// busy machine a scan after the first costs a read of /proc and a few stats.
func (s *scanner) appProcs() []int {
	d, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	var procs, others []int
	children := map[int][]int{}
	for _, n := range names {
		pid, err := strconv.Atoi(n)
		if err != nil || s.notApp[pid] {
			continue
		}
		ppid, pgrp, ok := stat(pid)
		if !ok {
			continue // gone meanwhile
		}
		if pgrp == s.pid {
			procs = append(procs, pid)
		} else {
			children[ppid] = append(children[ppid], pid)
			others = append(others, pid)
		}
	}
	// Descendants outside the group: follow the parent links down.
	ours := map[int]bool{}
	for todo := append([]int{s.pid}, procs...); len(todo) > 0; {
		p := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, c := range children[p] {
			procs = append(procs, c)
			ours[c] = true
			todo = append(todo, c)
		}
		delete(children, p)
	}
	for _, pid := range others {
		if !ours[pid] {
			s.notApp[pid] = true
		}
	}
	return procs
}

// stat reads the parent and the process group of pid from /proc/pid/stat.
func stat(pid int) (ppid, pgrp int, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	// "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 3 {
		return 0, 0, false
	}
	ppid, err1 := strconv.Atoi(f[1])
	pgrp, err2 := strconv.Atoi(f[2])
	return ppid, pgrp, err1 == nil && err2 == nil
}

// socketsOf calls found with the inode of each socket pid holds open.
func socketsOf(pid int, found func(ino uint64)) {
	dir := "/proc/" + strconv.Itoa(pid) + "/fd/"
	d, err := os.Open(dir)
	if err != nil {
		return // gone, or not ours to read
	}
	fds, _ := d.Readdirnames(-1)
	d.Close()
	for _, fd := range fds {
		link, err := os.Readlink(dir + fd)
		if err != nil {
			continue
		}
		if v, ok := strings.CutPrefix(link, "socket:["); ok {
			if ino, err := strconv.ParseUint(strings.TrimSuffix(v, "]"), 10, 64); err == nil {
				found(ino)
			}
		}
	}
}
