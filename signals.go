package main

import (
	"os"
	"os/signal"
	"slices"
	"syscall"

	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/internal/trigger"
)

// notifySignals catches the signals reload acts on (SPEC §3). SIGPIPE is
// caught and never read: a closed stdout or stderr (`reload … | tee log`
// with tee gone) then makes writes fail with EPIPE instead of killing
// reload before it stops the app. Caught, not ignored, because an ignored
// signal stays ignored in the app after exec.
func notifySignals() chan os.Signal {
	if brokenPipe != nil {
		signal.Notify(make(chan os.Signal, 1), brokenPipe)
	}
	sigs := make(chan os.Signal, 4)
	caught := append([]os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}, restartSignals...)
	signal.Notify(sigs, append(caught, jobControlSignals...)...)
	return sigs
}

// handleSignals turns signals to reload into actions (SPEC §3): the first
// SIGINT or SIGTERM stops the app gracefully, a second SIGINT kills it at
// once, SIGUSR2 restarts it, and SIGHUP restarts it while reload's terminal
// is alive but stops it when the terminal hung up (the window closed, the
// SSH session dropped); Ctrl+Z and fg reach the app through the runner. It returns when finished is closed: it outlives the
// cancel, to catch the second Ctrl+C while the app is stopping.
func handleSignals(finished <-chan struct{}, sigs <-chan os.Signal, hup hangup, restart chan<- trigger.Trigger, relay chan<- os.Signal,
	caught chan<- os.Signal, stop func(), kill chan<- struct{}, log *status.Printer) {
	stopping, killed := false, false
	for {
		var s os.Signal
		select {
		case <-finished:
			return
		case s = <-sigs:
		}
		if slices.Contains(jobControlSignals, s) {
			select {
			case relay <- s:
			default: // the runner is busy stopping the app; never block Ctrl+C behind it
			}
			continue
		}
		if s == syscall.SIGHUP && hup.hungUp() {
			log.Debugf("SIGHUP: the terminal hung up")
		} else if s == syscall.SIGHUP || slices.Contains(restartSignals, s) {
			if stopping {
				continue
			}
			select {
			case restart <- trigger.Trigger{Reason: signalName(s)}:
			case <-finished:
				return
			}
			continue
		}
		switch {
		case !stopping:
			stopping = true
			caught <- s
			log.Infof("%s: stopping the app (press Ctrl+C again to kill it)", signalName(s))
			stop()
		case s == os.Interrupt && !killed:
			killed = true
			close(kill)
		}
	}
}

func signalName(s os.Signal) string {
	switch s {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return otherSignalName(s)
}
