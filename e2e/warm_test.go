//go:build unix

package e2e

import (
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// warmApp is a node app that listens on $PORT, then announces itself with
// what it loaded: value.js is the code a change replaces.
const warmApp = `const value = require('./value.js');
require('http').createServer((q, s) => s.end('ok')).listen(+process.env.PORT, '127.0.0.1', () => {
  console.log('ready pid=' + process.pid + ' restarts=' + process.env.RELOAD_RESTARTS +
    ' changed=' + process.env.RELOAD_CHANGED + ' value=' + value +
    ' gatefd=' + (process.env.RELOAD_WARM_FD || '') + ' execargv=' + process.execArgv.length);
});
`

// warmProject is a temp node project running warmApp on a free port.
func warmProject(t *testing.T) (dir, port string) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the checks read /proc")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port = strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	dir = t.TempDir()
	writeFile(t, dir, "index.js", warmApp)
	writeFile(t, dir, "value.js", "module.exports = 1\n")
	return dir, port
}

// startWarm runs reload -v --warm with args in dir, the app on port.
func startWarm(t *testing.T, dir, port string, args ...string) *proc {
	t.Helper()
	return startReloadIn(t, launch{dir: dir, env: []string{"PORT=" + port}}, append([]string{"-v", "--warm"}, args...)...)
}

// aheadPid waits for reload's -v line naming the next app it started
// ahead and returns that pid, after checking that the process is reload's
// child and waits with no socket: it has run none of the app's code.
func (p *proc) aheadPid() int {
	p.t.Helper()
	l := waitFor(p.t, p.errs, "next app started ahead (pid ")
	pid, err := strconv.Atoi(strings.SplitN(strings.SplitN(l, "(pid ", 2)[1], ")", 2)[0])
	if err != nil {
		p.t.Fatalf("no pid in %q", l)
	}
	p.mu.Lock()
	p.pids = append(p.pids, pid) // killed in cleanup if reload leaves it
	p.mu.Unlock()
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		p.t.Fatalf("the process started ahead is not there: %v", err)
	}
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	if f[1] != strconv.Itoa(p.cmd.Process.Pid) || f[2] != strconv.Itoa(pid) {
		p.t.Fatalf("process %d: want reload (%d) as parent and a group of its own, got ppid %s pgrp %s", pid, p.cmd.Process.Pid, f[1], f[2])
	}
	fds, _ := os.ReadDir("/proc/" + strconv.Itoa(pid) + "/fd")
	for _, fd := range fds {
		if link, _ := os.Readlink("/proc/" + strconv.Itoa(pid) + "/fd/" + fd.Name()); strings.HasPrefix(link, "socket:") {
			p.t.Fatalf("the process started ahead (pid %d) holds a socket (fd %s): it ran code before the gate", pid, fd.Name())
		}
	}
	return pid
}

// portHeld fails unless something (the app) listens on port.
func portHeld(t *testing.T, port string) {
	t.Helper()
	if l, err := net.Listen("tcp", "127.0.0.1:"+port); err == nil {
		l.Close()
		t.Fatalf("nothing listens on %s while the app runs", port)
	}
}

// TestWarmRestart: with --warm, a change opens the gate of the process
// started ahead: it becomes the app (same pid), loads the new code with
// the new start's RELOAD_* variables, and holds the port alone; the gate
// leaves no trace in its environment or options. The next one is started
// ahead in turn, and none is left once reload exits.
func TestWarmRestart(t *testing.T) {
	t.Parallel()
	dir, port := warmProject(t)
	p := startWarm(t, dir, port, "index.js")
	first := p.ready()
	if first["value"] != "1" || first["restarts"] != "0" {
		t.Fatalf("first start: %v", first)
	}
	ahead := p.aheadPid()
	portHeld(t, port)

	writeFile(t, dir, "value.js", "module.exports = 2\n")
	got := p.ready()
	want := map[string]string{"pid": strconv.Itoa(ahead), "restarts": "1", "changed": "value.js", "value": "2", "gatefd": "", "execargv": "0"}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("after the change want %s=%s (pid %d was started ahead), got %v", k, v, ahead, got)
		}
	}
	gone(t, mustAtoi(t, first["pid"]))
	waitFor(t, p.errs, "warm start: the app started ahead (pid "+strconv.Itoa(ahead))

	next := p.aheadPid()
	portHeld(t, port)
	p.signal(syscall.SIGTERM)
	if s := p.wait(); s != 143 {
		t.Fatalf("want status 143 after SIGTERM, got %d", s)
	}
	gone(t, ahead)
	gone(t, next)
}

// TestWarmESM: an ES module app, with an --import module of its own,
// starts warm: node runs both after the gate, so both are the new code.
func TestWarmESM(t *testing.T) {
	t.Parallel()
	dir, port := warmProject(t)
	writeFile(t, dir, "hook.mjs", "globalThis.hook = 'h1';\n")
	writeFile(t, dir, "value.mjs", "export default 1;\n")
	writeFile(t, dir, "index.mjs", `import value from './value.mjs';
import { createServer } from 'node:http';
createServer((q, s) => s.end('ok')).listen(+process.env.PORT, '127.0.0.1', () => {
  console.log('ready pid=' + process.pid + ' restarts=' + process.env.RELOAD_RESTARTS +
    ' changed=' + process.env.RELOAD_CHANGED + ' value=' + value + ' hook=' + globalThis.hook);
});
`)
	p := startWarm(t, dir, port, "--import", "./hook.mjs", "index.mjs")
	if got := p.ready(); got["value"] != "1" || got["hook"] != "h1" {
		t.Fatalf("first start: %v", got)
	}
	ahead := p.aheadPid()
	writeFile(t, dir, "value.mjs", "export default 2;\n")
	if got := p.ready(); got["pid"] != strconv.Itoa(ahead) || got["value"] != "2" || got["restarts"] != "1" || got["changed"] != "value.mjs" {
		t.Fatalf("after value.mjs changed want pid %d with value 2, got %v", ahead, got)
	}
	ahead = p.aheadPid()
	writeFile(t, dir, "hook.mjs", "globalThis.hook = 'h2';\n")
	if got := p.ready(); got["pid"] != strconv.Itoa(ahead) || got["hook"] != "h2" || got["restarts"] != "2" {
		t.Fatalf("after hook.mjs changed want pid %d with hook h2, got %v", ahead, got)
	}
}

// TestWarmFallsBackCold: a change to package.json, which node reads
// before the gate, discards the process started ahead and starts cold,
// saying why; so does a process started ahead that died meanwhile.
func TestWarmFallsBackCold(t *testing.T) {
	t.Parallel()
	dir, port := warmProject(t)
	writeFile(t, dir, "package.json", `{"name": "warm"}`)
	p := startWarm(t, dir, port, "index.js")
	p.ready()
	ahead := p.aheadPid()

	writeFile(t, dir, "package.json", `{"name": "warm", "version": "1.0.0"}`)
	waitFor(t, p.errs, "cold start: package.json changed")
	got := p.ready()
	if got["pid"] == strconv.Itoa(ahead) || got["restarts"] != "1" || got["changed"] != "package.json" {
		t.Fatalf("want a cold start (not pid %d) for package.json, got %v", ahead, got)
	}
	gone(t, ahead)

	ahead = p.aheadPid()
	if err := syscall.Kill(ahead, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	waitFor(t, p.errs, "ended while it waited")
	writeFile(t, dir, "value.js", "module.exports = 3\n")
	waitFor(t, p.errs, "cold start: no app was started ahead")
	if got := p.ready(); got["pid"] == strconv.Itoa(ahead) || got["value"] != "3" || got["restarts"] != "2" {
		t.Fatalf("want a cold start with value 3, got %v", got)
	}
	p.aheadPid() // and the next one is started ahead again
}
