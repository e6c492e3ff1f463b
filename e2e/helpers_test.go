//go:build unix

package e2e

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/testwait"
)

// reloadBin is the real binary, built once for every end-to-end test.
var reloadBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "reload-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	reloadBin = filepath.Join(dir, "reload")
	build := exec.Command("go", "build", "-race", "-o", reloadBin, ".")
	build.Dir = ".." // the reload module, beside this one
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building reload:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// within is the deadline for anything the tests wait on (testwait.Within).
const within = testwait.Within

// proc is a running reload with its output split into line channels.
type proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	out    chan string // the app's stdout (reload passes it through)
	errs   chan string // stderr: reload's status lines and the app's stderr
	done   chan struct{}
	mu     sync.Mutex
	pids   []int // every PID an app announced, for the leak checks
	status int
}

// startReload runs the built binary in dir, with the null device as stdin.
func startReload(t *testing.T, dir string, args ...string) *proc {
	t.Helper()
	return startReloadIn(t, launch{dir: dir}, args...)
}

// launch says where and how to start reload.
type launch struct {
	dir    string
	stdin  *os.File // nil: the null device
	env    []string // added to the test's environment
	setsid bool     // start reload in a new session (for a controlling terminal)
}

// startReloadIn runs the built binary as l says.
func startReloadIn(t *testing.T, l launch, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(reloadBin, args...)
	cmd.Dir = l.dir
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1"), l.env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if l.setsid {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	}
	if l.stdin != nil {
		cmd.Stdin = l.stdin
	}
	p := launchProc(t, cmd)
	t.Cleanup(p.kill)
	return p
}

// launchProc starts cmd (reload, run one way or another) in a process group
// of its own unless cmd says otherwise, with its output read line by line
// into p's channels. The caller registers the cleanup that fits.
func launchProc(t *testing.T, cmd *exec.Cmd) *proc {
	t.Helper()
	if cmd.Env == nil {
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, cmd: cmd, out: make(chan string, 10000), errs: make(chan string, 10000), done: make(chan struct{})}
	var readers sync.WaitGroup
	readers.Add(2)
	go p.read(stdout, p.out, &readers)
	go p.read(stderr, p.errs, &readers)
	go func() {
		readers.Wait()
		p.status = exitStatus(cmd.Wait())
		close(p.done)
	}()
	return p
}

func exitStatus(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// read copies lines into ch and records the PIDs apps announce ("pid=N").
func (p *proc) read(r io.Reader, ch chan<- string, wg *sync.WaitGroup) {
	defer wg.Done()
	defer close(ch)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		for _, f := range strings.Fields(line) {
			if v, ok := strings.CutPrefix(f, "pid="); ok {
				if pid, err := strconv.Atoi(v); err == nil {
					p.mu.Lock()
					p.pids = append(p.pids, pid)
					p.mu.Unlock()
				}
			}
		}
		ch <- line
	}
}

// kill ends reload and every app process it announced, by PID and group.
// The apps go first: they hold reload's output pipes open.
func (p *proc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	// Ask first, as a user would: reload stops its app and exits.
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return
	case <-time.After(within):
		p.t.Errorf("reload did not exit within %v of SIGTERM", within)
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	p.mu.Lock()
	for _, pid := range p.pids {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	p.mu.Unlock()
	select {
	case <-p.done:
	case <-time.After(within):
		p.t.Errorf("reload's output stayed open after SIGKILL to it and its apps")
	}
}

// signal sends sig to reload itself.
func (p *proc) signal(sig syscall.Signal) {
	p.t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.t.Fatal(err)
	}
}

// wait waits for reload to exit and returns its status.
func (p *proc) wait() int {
	p.t.Helper()
	select {
	case <-p.done:
		return p.status
	case <-time.After(within):
		p.t.Fatalf("reload did not exit within %v", within)
		return -1
	}
}

// waitFor returns the first line on ch that contains want.
func waitFor(t *testing.T, ch <-chan string, want string) string {
	t.Helper()
	return testwait.Line(t, ch, want)
}

// ready waits for the app's next "ready" line and returns its fields
// (restarts, changed, pid, …).
func (p *proc) ready() map[string]string {
	p.t.Helper()
	return fields(waitFor(p.t, p.out, "ready "))
}

func fields(line string) map[string]string {
	m := map[string]string{}
	for _, f := range strings.Fields(line) {
		if k, v, ok := strings.Cut(f, "="); ok {
			m[k] = v
		}
	}
	return m
}

// readyApp is a sh app that announces itself with its PID, restart count and
// the changed paths, then sleeps until stopped.
const readyApp = `echo "ready pid=$$ restarts=$RELOAD_RESTARTS changed=$RELOAD_CHANGED"
exec sleep 1000
`

// writeFile writes a file under dir, creating its folders.
func writeFile(t *testing.T, dir, rel, content string) string {
	t.Helper()
	path := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// gone waits until no process with pid exists (zombies count as gone only
// once reaped, which is the point).
func gone(t *testing.T, pid int) {
	t.Helper()
	testwait.Until(t, fmt.Sprintf("process %d gone", pid), func() bool {
		return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
	})
}

// runReload runs reload to completion and returns its status and stderr.
func runReload(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(reloadBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	cmd.Stdout = io.Discard
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		return exitStatus(err), stderr.String()
	case <-time.After(within):
		t.Fatalf("reload %v did not exit within %v", args, within)
		return -1, ""
	}
}

// runOutput runs reload to completion and returns its stdout.
func runOutput(dir string, args ...string) (string, error) {
	cmd := exec.Command(reloadBin, args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	return string(out), err
}

// drain returns the lines already waiting on ch, without waiting for more.
func drain(ch <-chan string) []string {
	var lines []string
	for {
		select {
		case l, ok := <-ch:
			if !ok {
				return lines
			}
			lines = append(lines, l)
		default:
			return lines
		}
	}
}
