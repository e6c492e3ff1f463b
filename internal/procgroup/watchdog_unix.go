//go:build unix

package procgroup

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// watchdogEnv marks a process started as reload's watchdog; its value is
// "<stop signal>,<grace in ms>,<reload's pid>".
const watchdogEnv = "RELOAD_INTERNAL_WATCHDOG"

// PidEnv names the variable that carries reload's pid into the app's
// environment. The watchdog finds, by it, the app's processes that left
// its group once reload is gone (Linux).
const PidEnv = "RELOAD_PID"

// Watchdog is a helper process that stops the app if reload dies without
// stopping it (kill -9, an out-of-memory kill, a crash): nothing can catch
// SIGKILL, so the app's side must notice. reload holds the only write end
// of the watchdog's stdin; when reload dies the kernel closes it and the
// watchdog reads end of file. It lives in a group of its own, so a Ctrl+C
// meant for reload does not reach it, and it is started with os/exec, so
// the Reaper does not take it for the app's. A nil *Watchdog does nothing.
type Watchdog struct {
	mu  sync.Mutex
	w   *os.File
	cmd *exec.Cmd
}

// StartWatchdog starts reload's own binary as the watchdog. On the way out
// it sends sig to the app's group and its strays, waits up to grace, then
// SIGKILLs what is left.
func StartWatchdog(sig syscall.Signal, grace time.Duration) (*Watchdog, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	cmd := exec.Command(exe)
	cmd.Env = []string{fmt.Sprintf("%s=%d,%d,%d", watchdogEnv, int(sig), grace.Milliseconds(), os.Getpid())}
	cmd.Stdin = r
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, err
	}
	return &Watchdog{w: w, cmd: cmd}, nil
}

// Guard tells the watchdog the app's group: pgid, or 0 while no app runs.
func (d *Watchdog) Guard(pgid int) {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.w != nil {
		_, _ = fmt.Fprintf(d.w, "%d\n", pgid) // a watchdog that is gone cannot help anyway
	}
}

// Close lets the watchdog go: reload is exiting and has stopped the app.
func (d *Watchdog) Close() {
	if d == nil {
		return
	}
	d.mu.Lock()
	if d.w != nil {
		_, _ = io.WriteString(d.w, "exit\n")
		d.w.Close()
		d.w = nil
	}
	d.mu.Unlock()
	done := make(chan struct{})
	go func() { _ = d.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second): // it should exit at once; never hold reload's exit
		_ = d.cmd.Process.Kill()
		<-done
	}
}

// RunWatchdog runs this process as reload's watchdog if it was started as
// one, and reports whether it was. main calls it first thing.
func RunWatchdog() bool {
	spec, ok := os.LookupEnv(watchdogEnv)
	if !ok {
		return false
	}
	var sig, graceMs, owner int
	if _, err := fmt.Sscanf(strings.ReplaceAll(spec, ",", " "), "%d %d %d", &sig, &graceMs, &owner); err != nil {
		return true
	}
	signal.Ignore(syscall.SIGINT, syscall.SIGHUP, syscall.SIGTSTP, syscall.SIGTTIN, syscall.SIGTTOU)
	pgid := 0
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if sc.Text() == "exit" {
			return true
		}
		if n, err := strconv.Atoi(sc.Text()); err == nil {
			pgid = n
		}
	}
	// End of input without "exit": reload is gone.
	stopOrphaned(pgid, owner, syscall.Signal(sig), time.Duration(graceMs)*time.Millisecond)
	return true
}

// stopOrphaned stops the app's group and every process that carries
// owner's pid in PidEnv: the stop signal, up to grace, then SIGKILL.
func stopOrphaned(pgid, owner int, sig syscall.Signal, grace time.Duration) {
	signalAll := func(s syscall.Signal) (alive bool) {
		if pgid > 0 && GroupAlive(pgid) {
			alive = true
			_ = SignalGroup(pgid, s)
		}
		for _, pid := range marked(PidEnv, strconv.Itoa(owner)) {
			alive = true
			_ = SignalPid(pid, s)
		}
		return alive
	}
	if !signalAll(sig) {
		return
	}
	deadline := time.Now().Add(grace)
	for wait := time.Millisecond; time.Now().Before(deadline); wait = min(2*wait, 50*time.Millisecond) {
		time.Sleep(wait) // polling for the processes to go, bounded by grace
		if !signalAll(0) {
			return
		}
	}
	signalAll(syscall.SIGKILL)
}
