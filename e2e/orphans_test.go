//go:build linux

package e2e

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// End-to-end tests that nothing of an old app survives (SPEC §3): neither
// processes that left its group nor the port it held.

// e2eChild names the part the test binary plays when a test runs it as the
// app. It is read in init, which runs before TestMain builds reload, so a
// child costs no build.
const e2eChild = "RELOAD_E2E_CHILD"

func init() {
	if mode := os.Getenv(e2eChild); mode != "" {
		os.Exit(portChild(mode))
	}
}

// portChild runs one part of the port test's app:
//
//	server  listens on 127.0.0.1:$PORT and leaves the listener to a daemon
//	        (middle + holder: a double fork and setsid), then says "ready";
//	        if it cannot bind it says "bind failed" and exits 1
//	middle  starts the holder in a new session and exits, orphaning it
//	holder  keeps the listener (fd 3) open: "holder pid=N"
func portChild(mode string) int {
	pid := os.Getpid()
	switch mode {
	case "server":
		l, err := net.Listen("tcp", "127.0.0.1:"+os.Getenv("PORT"))
		if err != nil {
			fmt.Printf("bind failed pid=%d restarts=%s: %v\n", pid, os.Getenv("RELOAD_RESTARTS"), err)
			return 1
		}
		f, err := l.(*net.TCPListener).File()
		if err == nil {
			err = spawnPart("middle", false, f)
		}
		if err != nil {
			fmt.Println("setup failed:", err)
			return 1
		}
		f.Close()
		fmt.Printf("ready pid=%d restarts=%s\n", pid, os.Getenv("RELOAD_RESTARTS"))
		var conns []net.Conn // held open, as a server with clients would
		for {
			c, err := l.Accept()
			if err != nil {
				return 1
			}
			conns = append(conns, c)
		}
	case "middle":
		if err := spawnPart("holder", true, os.NewFile(3, "listener")); err != nil {
			fmt.Println("setup failed:", err)
			return 1
		}
		return 0
	case "holder":
		fmt.Printf("holder pid=%d\n", pid)
		os.NewFile(4, "announced").Close()
		for {
			time.Sleep(time.Hour)
		}
	}
	return 99
}

// spawnPart starts the test binary as mode with f as its fd 3, and returns once
// the child has announced itself (closed its fd 4) or ended.
func spawnPart(mode string, setsid bool, f *os.File) error {
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	defer pr.Close()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), e2eChild+"="+mode)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{f, pw}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: setsid}
	err = cmd.Start()
	pw.Close()
	if err != nil {
		return err
	}
	_, _ = pr.Read(make([]byte, 1)) // EOF: announced, or gone
	if setsid {
		return nil // left running: it is the daemon
	}
	return cmd.Wait()
}

// A port held by the old app, and by a daemon it left outside its group,
// is free for the new app at once: the new app binds it on its first try.
func TestPortFreeAfterRestartAndExit(t *testing.T) {
	t.Parallel()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	p := startReload(t, dir, "--env", e2eChild+"=server", "--env", "PORT="+addr[len("127.0.0.1:"):],
		"--env", "GORACE=atexit_sleep_ms=0", "--", self)
	first, holder := serverReady(t, p, "0")
	if pgid, _ := syscall.Getpgid(holder); pgid != holder || procParent(holder) != p.cmd.Process.Pid {
		t.Fatalf("setup: the holder %d is in group %d with parent %d; want a session of its own, adopted by reload",
			holder, pgid, procParent(holder))
	}
	if l, err := net.Listen("tcp", addr); err == nil {
		l.Close()
		t.Fatal("setup: the port is not held by the app")
	}
	conn, err := net.Dial("tcp", addr) // a client connected to the old app
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	writeFile(t, dir, "x.txt", "x")
	second, holder2 := serverReady(t, p, "1")
	assertNoProcess(t, holder, "once the new app started")
	assertNoProcess(t, first, "once the new app started")

	p.signal(syscall.SIGINT)
	if st := p.wait(); st != 130 {
		t.Fatalf("Ctrl+C: want exit 130, got %d", st)
	}
	assertNoProcess(t, holder2, "once reload exited")
	assertNoProcess(t, second, "once reload exited")
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("the port is not free once reload exited: %v", err)
	}
	l.Close()
}

// serverReady waits for the server's ready line (or its bind failure) and
// returns its pid and its holder's.
func serverReady(t *testing.T, p *proc, restarts string) (app, holder int) {
	t.Helper()
	for {
		l := waitFor(t, p.out, "pid=")
		f := fields(l)
		switch {
		case strings.HasPrefix(l, "bind failed"):
			t.Fatalf("the new app could not bind the port: %s", l)
		case strings.HasPrefix(l, "holder "):
			holder = mustAtoi(t, f["pid"])
		case strings.HasPrefix(l, "ready ") && f["restarts"] == restarts:
			if holder == 0 {
				t.Fatalf("app %s is ready without a holder", f["pid"])
			}
			return mustAtoi(t, f["pid"]), holder
		}
	}
}

// daemonApp leaves two processes outside its group: a setsid'd child, and a
// double-forked daemon (its parent exits, so reload's subreaper adopts it).
const daemonApp = `setsid sleep 1000 &
echo "setsid pid=$!"
sh -c 'setsid sleep 1000 & echo "daemon pid=$!"'
echo "ready pid=$$ restarts=$RELOAD_RESTARTS"
`

// Nothing an app started survives it: after a restart, after Ctrl+C, and
// after it crashed on its own.
func TestNoOrphansSurvive(t *testing.T) {
	t.Parallel()
	t.Run("restart and Ctrl+C", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeFile(t, dir, "app.sh", daemonApp+"exec sleep 1000\n")
		p := startReload(t, dir, "--", "sh", "app.sh")
		old := escaped(t, p)
		writeFile(t, dir, "x.txt", "x")
		cur := escaped(t, p)
		for _, pid := range old {
			assertNoProcess(t, pid, "once the new app started")
		}
		p.signal(syscall.SIGINT)
		if st := p.wait(); st != 130 {
			t.Fatalf("Ctrl+C: want exit 130, got %d", st)
		}
		for _, pid := range cur {
			assertNoProcess(t, pid, "once reload exited")
		}
	})
	t.Run("crash", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		// The app waits for the test to have looked, then crashes.
		writeFile(t, dir, "app.sh", daemonApp+"while [ ! -e crash ]; do sleep 0.01; done\nexit 4\n")
		p := startReload(t, dir, "--no-watch", "--", "sh", "app.sh")
		left := escaped(t, p)
		writeFile(t, dir, "crash", "")
		if st := p.wait(); st != 4 {
			t.Fatalf("want the app's status 4, got %d", st)
		}
		for _, pid := range left {
			assertNoProcess(t, pid, "once reload exited")
		}
	})
}

// escaped reads one daemonApp start's lines, checks that its two
// processes really left the app's group, and returns them with the app.
func escaped(t *testing.T, p *proc) []int {
	t.Helper()
	setsid := mustAtoi(t, fields(waitFor(t, p.out, "setsid pid="))["pid"])
	daemon := mustAtoi(t, fields(waitFor(t, p.out, "daemon pid="))["pid"])
	app := mustAtoi(t, p.ready()["pid"])
	// Each pid is printed as soon as it is forked, before setsid runs in it,
	// and the daemon's parent exits just after: poll until both have left.
	reload := p.cmd.Process.Pid
	left := func() bool {
		pgid1, err1 := syscall.Getpgid(setsid)
		pgid2, err2 := syscall.Getpgid(daemon)
		return err1 == nil && err2 == nil && pgid1 == setsid && pgid2 == daemon && procParent(daemon) == reload
	}
	for deadline := time.Now().Add(within); !left(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("setup: %d and %d did not get sessions of their own, with reload (%d) adopting %d",
				setsid, daemon, reload, daemon)
		}
	}
	return []int{app, setsid, daemon}
}

// readProcStat reads state and parent from /proc/<pid>/stat.
func readProcStat(pid int) (state byte, ppid int, ok bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	i := bytes.LastIndexByte(b, ')')
	if err != nil || i < 0 {
		return 0, 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 2 {
		return 0, 0, false
	}
	ppid, err = strconv.Atoi(f[1])
	return f[0][0], ppid, err == nil
}

func procState(pid int) (byte, bool) {
	st, _, ok := readProcStat(pid)
	return st, ok
}

func procParent(pid int) int {
	_, ppid, _ := readProcStat(pid)
	return ppid
}

// childPids lists pid's children from /proc/<pid>/task/*/children.
func childPids(pid int) []int {
	files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	var out []int
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, s := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(s); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}
