//go:build linux

package watcher

import (
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// mountTable follows this process's mount table: inotify says nothing when
// a watched file system is unmounted or one is mounted over a watched
// folder, but the kernel marks /proc/self/mountinfo (POLLPRI) on every
// mount and unmount in the mount namespace. One goroutine (run) owns the
// file and the last table read, and sends what changed.
type mountTable struct {
	f    *os.File
	seen map[string]string // mount point → the IDs of the mounts there
	out  chan []mountChange
	stop chan struct{}
	done chan struct{} // nil until start
}

// openMountTable reads the mount table as it is now.
func openMountTable() (*mountTable, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return nil, err
	}
	m := &mountTable{f: f, out: make(chan []mountChange), stop: make(chan struct{})}
	if m.seen, err = m.read(); err != nil {
		f.Close()
		return nil, err
	}
	return m, nil
}

// start runs the goroutine that waits for changes, until close.
func (m *mountTable) start() {
	if m == nil {
		return
	}
	m.done = make(chan struct{})
	go m.run()
}

// changes delivers the mount points that changed, outer ones first; nil
// (never ready) when nothing is followed.
func (m *mountTable) changes() <-chan []mountChange {
	if m == nil {
		return nil
	}
	return m.out
}

// close stops the goroutine and waits for it.
func (m *mountTable) close() {
	if m == nil {
		return
	}
	close(m.stop)
	m.f.Close() // ends a wait in run
	if m.done != nil {
		<-m.done
	}
}

func (m *mountTable) run() {
	defer close(m.done)
	rc, err := m.f.SyscallConn()
	if err != nil {
		return
	}
	for {
		// os.Open registered the file with the runtime's poller, which
		// wakes a waiting reader when the kernel marks it changed. Waiting
		// is a read whose first try declines: the runtime then parks
		// until the next wake (the first comes at once, as the file is
		// always readable; a look that finds nothing changed costs one
		// read of the table). It fails once the file is closed, or if the
		// file cannot be polled after all: then mounts are not followed.
		tried := false
		if err := rc.Read(func(uintptr) bool { done := tried; tried = true; return done }); err != nil {
			return
		}
		now, err := m.read()
		if err != nil {
			return
		}
		changed := diffMounts(m.seen, now)
		m.seen = now
		if len(changed) == 0 {
			continue
		}
		select {
		case m.out <- changed:
		case <-m.stop:
			return
		}
	}
}

// read reads the whole table again.
func (m *mountTable) read() (map[string]string, error) {
	if _, err := m.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(m.f)
	if err != nil {
		return nil, err
	}
	return parseMountinfo(string(b)), nil
}

// parseMountinfo maps each mount point in a mountinfo text (proc(5)) to
// the IDs of the mounts there, in table order ("36 42" for a mount and
// one mounted over it).
func parseMountinfo(text string) map[string]string {
	t := map[string]string{}
	for line := range strings.Lines(text) {
		f := strings.Fields(line)
		if len(f) < 5 {
			continue
		}
		p := unescapeMount(f[4])
		if ids, ok := t[p]; ok {
			t[p] = ids + " " + f[0]
		} else {
			t[p] = f[0]
		}
	}
	return t
}

// unescapeMount undoes the octal escapes (\040 for a space, \011, \012,
// \134) that mountinfo writes in paths.
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// diffMounts lists the mount points whose mounts differ between two
// tables, sorted, so a mount point comes before those inside it.
func diffMounts(was, now map[string]string) []mountChange {
	var changed []mountChange
	for p := range was {
		if _, ok := now[p]; !ok {
			changed = append(changed, mountChange{path: p})
		}
	}
	for p, ids := range now {
		if was[p] != ids {
			changed = append(changed, mountChange{path: p, mounted: true})
		}
	}
	slices.SortFunc(changed, func(a, b mountChange) int { return strings.Compare(a.path, b.path) })
	return changed
}
