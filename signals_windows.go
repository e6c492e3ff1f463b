package main

import "os"

// Windows has no SIGUSR2 and no SIGPIPE.
var (
	restartSignals    []os.Signal
	jobControlSignals []os.Signal
	brokenPipe        os.Signal
)

func otherSignalName(s os.Signal) string { return s.String() }

// hangup: Windows sends no SIGHUP for a closed console; reload ends with it.
type hangup struct{}

func newHangup() hangup     { return hangup{} }
func (hangup) hungUp() bool { return false }
