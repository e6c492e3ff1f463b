package procgroup

import (
	"errors"
	"syscall"
	"time"
)

// PidEnv names the variable that carries reload's pid into the app's environment.
const PidEnv = "RELOAD_PID"

// Watchdog: not on Windows yet (a job object with KILL_ON_JOB_CLOSE is the
// way there). A nil *Watchdog does nothing.
type Watchdog struct{}

// StartWatchdog is not available on Windows.
func StartWatchdog(syscall.Signal, time.Duration) (*Watchdog, error) {
	return nil, errors.New("no watchdog on windows")
}

func (*Watchdog) Guard(int) {}
func (*Watchdog) Close()    {}

// RunWatchdog: never a watchdog on Windows.
func RunWatchdog() bool { return false }
