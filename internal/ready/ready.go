// Package ready tells when an app can answer: it finds the first TCP
// socket that the app's processes listen on. On Linux it reads /proc: the
// app's process group and the leader's descendants own the sockets, and
// /proc/net/tcp and tcp6 say which of them listen. Elsewhere it finds
// nothing, and says so at once.
package ready

import (
	"context"
	"net/netip"
	"strconv"
	"time"
)

// Supported reports whether Wait can find anything on this OS.
const Supported = supported

// Polling: fast at first, since most apps listen within milliseconds, then
// slower, so an app that never listens costs next to nothing (see next),
// and never past Limit.
const (
	firstPoll = time.Millisecond
	maxPoll   = 100 * time.Millisecond
	// DefaultLimit is how long after a start Wait looks at most.
	DefaultLimit = 30 * time.Second
)

// Options shape a Wait.
type Options struct {
	// Port, if not 0, is preferred when the app listens on several ports
	// at once (the proxy's target).
	Port uint16
	// Skip, if not 0, is a port never named: the app's own debugger port
	// (--inspect), which node opens before the app's code runs.
	Skip uint16
	// Limit bounds the look, counted from Began (0: DefaultLimit).
	Limit time.Duration
	// Began is when the app started (zero: when Wait is called).
	Began time.Time
}

// Finder looks for the first TCP socket an app listens on, for one app
// at a time. What it learns about the sockets of other processes carries
// over from one app to the next, so after the first start it reads the
// process table only when a new socket listens somewhere.
type Finder struct {
	s *scanner
}

// NewFinder returns a Finder; Close it when done.
func NewFinder() *Finder { return &Finder{s: newScanner()} }

// Close releases what the Finder holds (a netlink socket on Linux).
func (f *Finder) Close() { f.s.close() }

// Wait looks for the first TCP socket that the app listens on: a socket
// held by a process of group pid (the app leads its own group) or by a
// descendant of pid. It polls with backoff and returns the address with
// true at the first hit, or false when ctx ends, Limit passes, or the OS
// is not supported. Until a new socket listens anywhere, a poll is one
// sock_diag query per address family. Calls must not overlap.
func (f *Finder) Wait(ctx context.Context, pid int, o Options) (netip.AddrPort, bool) {
	if !supported || pid <= 0 {
		return netip.AddrPort{}, false
	}
	if o.Limit <= 0 {
		o.Limit = DefaultLimit
	}
	if o.Began.IsZero() {
		o.Began = time.Now()
	}
	f.s.reset(pid, o.Port, o.Skip)
	t := time.NewTimer(0)
	defer t.Stop()
	for wait := firstPoll; ; {
		select {
		case <-ctx.Done():
			return netip.AddrPort{}, false
		case <-t.C:
		}
		if a, ok := f.s.scan(ctx); ok {
			return a, true
		}
		left := time.Until(o.Began.Add(o.Limit))
		if left <= 0 {
			return netip.AddrPort{}, false
		}
		wait = next(wait, time.Since(o.Began))
		t.Reset(min(wait, left))
	}
}

// next is the poll backoff: half again the last wait, from firstPoll up to
// maxPoll, and past that up to a twentieth of the time since the start.
// An app seen listening is seen at most half again as late as it began to
// (5% once it has run two seconds), and one that never listens costs about
// a hundred polls over DefaultLimit.
func next(wait, since time.Duration) time.Duration {
	return min(wait+wait/2, max(maxPoll, since/20))
}

// URL is how a person opens addr: "http://127.0.0.1:3000". An app that
// listens on every interface (0.0.0.0, ::) is shown on localhost.
func URL(addr netip.AddrPort) string {
	a := addr.Addr().Unmap()
	host := a.String()
	switch {
	case a.IsUnspecified():
		host = "localhost"
	case a.Is6():
		host = "[" + a.WithZone("").String() + "]"
	}
	return "http://" + host + ":" + strconv.Itoa(int(addr.Port()))
}

// pick chooses among the sockets found in one scan: one on the preferred
// port, else the one created first (the lowest inode).
func pick(found map[uint64]netip.AddrPort, port uint16) (netip.AddrPort, bool) {
	off := func(a netip.AddrPort) bool { return port != 0 && a.Port() != port }
	var best uint64
	var addr netip.AddrPort
	ok := false
	for ino, a := range found {
		if !ok || off(addr) && !off(a) || off(addr) == off(a) && ino < best {
			best, addr, ok = ino, a, true
		}
	}
	return addr, ok
}
