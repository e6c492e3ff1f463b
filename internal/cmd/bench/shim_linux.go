//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// The node shim: the bench puts a symlink named "node" to its own binary
// first on every tool's PATH. Run under that name, the binary logs
// "exec PID UNIXNANO" to the start log and execs the real node in the same
// process, so every start a tool makes is timed when the tool made it,
// even one killed before node could run the app.
const (
	envStartLog = "RELOAD_BENCH_START_LOG"
	envRealNode = "RELOAD_BENCH_NODE"
)

// isShim reports whether the binary was run as the node shim.
func isShim() bool { return filepath.Base(os.Args[0]) == "node" }

// shim logs the start and becomes the real node; it returns only on failure.
func shim() int {
	now := time.Now()
	log, real := os.Getenv(envStartLog), os.Getenv(envRealNode)
	if log == "" || real == "" {
		fmt.Fprintf(os.Stderr, "bench node shim: %s and %s must be set (a tool dropped the environment?)\n", envStartLog, envRealNode)
		return 127
	}
	f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err == nil {
		_, err = fmt.Fprintf(f, "exec %d %d\n", os.Getpid(), now.UnixNano()) // one short write: atomic with O_APPEND
		f.Close()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench node shim: %v\n", err)
		return 127
	}
	err = syscall.Exec(real, append([]string{real}, os.Args[1:]...), os.Environ())
	fmt.Fprintf(os.Stderr, "bench node shim: exec %s: %v\n", real, err)
	return 127
}

// shimEnv is what every launched process gets: the shim first on PATH and
// where it logs to and execs.
func shimEnv(shimDir, startLog, realNode string) []string {
	return []string{
		"PATH=" + shimDir + string(os.PathListSeparator) + os.Getenv("PATH"),
		envStartLog + "=" + startLog,
		envRealNode + "=" + realNode,
	}
}

// installShim links dir/node to the running binary.
func installShim(dir string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.Symlink(self, filepath.Join(dir, "node"))
}
