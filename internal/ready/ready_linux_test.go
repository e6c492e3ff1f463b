package ready

import (
	"bufio"
	"context"
	"fmt"
	"maps"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain runs the test binary as an app when READY_TEST_APP is set:
// "listen DELAY" listens on a free loopback port after DELAY and prints
// "port=N"; "child DELAY" starts a child in a session of its own that does
// that (a descendant outside the app's group); "never" never listens.
func TestMain(m *testing.M) {
	if mode := os.Getenv("READY_TEST_APP"); mode != "" {
		app(mode)
		return
	}
	os.Exit(m.Run())
}

func app(mode string) {
	verb, arg, _ := strings.Cut(mode, " ")
	delay, _ := time.ParseDuration(arg)
	switch verb {
	case "listen":
		time.Sleep(delay)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Printf("port=%d\n", ln.Addr().(*net.TCPAddr).Port)
	case "child":
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "READY_TEST_APP=listen "+arg)
		cmd.Stdout = os.Stdout
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := cmd.Start(); err != nil {
			os.Exit(1)
		}
	}
	time.Sleep(time.Minute)
	os.Exit(0)
}

// startApp runs the test binary as an app in its own process group, and
// returns its pid and its stdout, line by line.
func startApp(t testing.TB, mode string) (int, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "READY_TEST_APP="+mode)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 10)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	return cmd.Process.Pid, lines
}

func portLine(t *testing.T, lines <-chan string) uint16 {
	t.Helper()
	select {
	case l := <-lines:
		p, err := strconv.Atoi(strings.TrimPrefix(l, "port="))
		if err != nil {
			t.Fatalf("app said %q", l)
		}
		return uint16(p)
	case <-time.After(10 * time.Second):
		t.Fatal("app never listened")
		return 0
	}
}

func TestWaitFindsTheAppsListener(t *testing.T) {
	t.Parallel()
	// A socket of the test process itself listens all along: it is not the app's.
	mine, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer mine.Close()
	for _, mode := range []string{"listen 0s", "listen 150ms", "child 50ms"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			pid, lines := startApp(t, mode)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			f := NewFinder()
			defer f.Close()
			addr, ok := f.Wait(ctx, pid, Options{})
			if !ok {
				t.Fatal("no listener found")
			}
			if want := portLine(t, lines); addr != netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), want) {
				t.Errorf("found %s; the app listens on port %d", addr, want)
			}
		})
	}
}

// TestFinderCarriesOver: one Finder serves app after app; the socket of an
// earlier app that still listens is not the next app's.
func TestFinderCarriesOver(t *testing.T) {
	t.Parallel()
	f := NewFinder()
	defer f.Close()
	for i := range 3 {
		pid, lines := startApp(t, "listen 20ms")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		addr, ok := f.Wait(ctx, pid, Options{})
		cancel()
		if want := portLine(t, lines); !ok || addr.Port() != want {
			t.Fatalf("app %d: found %s, %v; it listens on port %d", i, addr, ok, want)
		}
	}
}

func TestWaitGivesUp(t *testing.T) {
	t.Parallel()
	pid, _ := startApp(t, "never")
	f := NewFinder()
	defer f.Close()
	began := time.Now()
	if addr, ok := f.Wait(context.Background(), pid, Options{Limit: 300 * time.Millisecond}); ok {
		t.Fatalf("found %s for an app that never listens", addr)
	}
	if took := time.Since(began); took < 300*time.Millisecond || took > 5*time.Second {
		t.Errorf("gave up after %v; want the limit, 300ms", took)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan bool)
	go func() { _, ok := f.Wait(ctx, pid, Options{}); done <- ok }()
	time.Sleep(20 * time.Millisecond) // let it poll a few times; then the cancel must end it
	cancel()
	select {
	case ok := <-done:
		if ok {
			t.Error("found a listener after the cancel")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Wait went on after its context ended")
	}
}

// TestDiagAgreesWithProc: sock_diag and /proc/net/tcp both list the
// test's own listening sockets, IPv4 and IPv6, at the same addresses.
// (Other programs' sockets may come and go between the two reads.)
func TestDiagAgreesWithProc(t *testing.T) {
	t.Parallel()
	var own []netip.AddrPort
	for _, network := range []string{"tcp4", "tcp6"} {
		ln, err := net.Listen(network, "localhost:0")
		if err != nil {
			continue // no IPv6 here
		}
		defer ln.Close()
		own = append(own, ln.Addr().(*net.TCPAddr).AddrPort())
	}
	fromDiag, fromProc := map[uint64]netip.AddrPort{}, map[uint64]netip.AddrPort{}
	s := newScanner()
	s.reset(os.Getpid(), 0, 0)
	defer s.close()
	if s.diag == nil {
		t.Skip("sock_diag is not allowed here; /proc/net/tcp is used")
	}
	if err := s.diag.listeners(func(ino uint64, a netip.AddrPort) { fromDiag[ino] = a }); err != nil {
		t.Fatal(err)
	}
	s.diag.close()
	s.diag = nil
	s.listeners(func(ino uint64, a netip.AddrPort) { fromProc[ino] = a })
	for _, a := range own {
		inDiag, inProc := slices.Contains(slices.Collect(maps.Values(fromDiag)), a), slices.Contains(slices.Collect(maps.Values(fromProc)), a)
		if !inDiag || !inProc {
			t.Errorf("listener %v: in sock_diag %v, in /proc %v\nsock_diag: %v\n/proc:     %v", a, inDiag, inProc, fromDiag, fromProc)
		}
	}
}

// BenchmarkScanIdle is the cost of one poll while the app does not listen
// and no new socket listens anywhere: what an app that never listens costs
// per poll.
func BenchmarkScanIdle(b *testing.B) {
	s := newScanner()
	s.reset(os.Getpid(), 0, 0)
	defer s.close()
	ctx := context.Background()
	s.scan(ctx) // marks the machine's listeners as others'
	for b.Loop() {
		s.scan(ctx)
	}
}

// BenchmarkScanIdleProc is BenchmarkScanIdle where sock_diag is not
// allowed and /proc/net/tcp is read instead.
func BenchmarkScanIdleProc(b *testing.B) {
	s := newScanner()
	s.reset(os.Getpid(), 0, 0)
	s.close()
	s.diag = nil
	ctx := context.Background()
	s.scan(ctx)
	for b.Loop() {
		s.scan(ctx)
	}
}

// BenchmarkScanFull is the cost of a poll that reads the app's processes:
// once per new listening socket.
func BenchmarkScanFull(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	ctx := context.Background()
	for b.Loop() {
		s := newScanner()
		s.reset(syscall.Getpgrp(), 0, 0)
		if _, ok := s.scan(ctx); !ok {
			b.Fatal("the benchmark's own listener was not found")
		}
		s.close()
	}
}

// cpuTime is the test process's CPU time so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWaitNeverListens is what a start of an app that never listens
// costs reload: a whole Wait, to DefaultLimit, in CPU time (user and
// system). Run it with -benchtime=1x: one op takes 30 s.
func BenchmarkWaitNeverListens(b *testing.B) {
	pid, _ := startApp(b, "never")
	f := NewFinder()
	defer f.Close()
	began := cpuTime()
	for b.Loop() {
		f.Wait(context.Background(), pid, Options{})
	}
	b.ReportMetric(float64((cpuTime()-began).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkWaitListens is what a start of an app that listens at once
// costs reload, in CPU time, with one Finder for every start as reload
// has. Another process that starts listening meanwhile anywhere on the
// machine makes a scan read the process table: on a busy machine some
// starts cost more.
func BenchmarkWaitListens(b *testing.B) {
	f := NewFinder()
	defer f.Close()
	var cpu time.Duration
	for b.Loop() {
		pid, lines := startApp(b, "listen 0s")
		began := cpuTime()
		if _, ok := f.Wait(context.Background(), pid, Options{}); !ok {
			b.Fatal("not found")
		}
		cpu += cpuTime() - began
		<-lines
		_ = syscall.Kill(-pid, syscall.SIGKILL)
	}
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}
