//go:build unix

package signals

import (
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// platform holds every POSIX name this Unix knows (Linux has SIGPWR, macOS
// does not), by its number here.
var platform = unixTable(runtime.GOOS, unix.SignalNum)

// unixTable keeps the names num knows ("SIGTERM" → 15; 0 for unknown).
func unixTable(goos string, num func(string) syscall.Signal) Table {
	t := Table{GOOS: goos, Signals: map[string]syscall.Signal{}}
	for _, n := range names {
		if s := num("SIG" + n); s != 0 {
			t.Signals["SIG"+n] = s
		}
	}
	return t
}
