package main

import (
	"bufio"
	"context"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/reload-dev/reload/internal/procgroup"
	"github.com/reload-dev/reload/internal/status"
	"github.com/reload-dev/reload/internal/trigger"
)

// appStdin is what the app gets as its standard input.
type appStdin struct {
	app        *os.File // handed to the app directly
	foreground bool     // app is the terminal's foreground process group
	closer     func()
}

func (s appStdin) Close() {
	if s.closer != nil {
		s.closer()
	}
}

// setupStdin implements the restartable line (SPEC §2): when stdin is a
// terminal and restartable is set, reload reads lines itself; a line equal to
// restartable restarts the app and every other line goes to the app through a
// pipe. With restartable "" the app gets the terminal itself, in the
// foreground. Stdin that is not a terminal goes to the app untouched.
func setupStdin(ctx context.Context, restartable string, restart chan<- trigger.Trigger, log *status.Printer) (appStdin, error) {
	if !term.IsTerminal(int(os.Stdin.Fd())) {
		return appStdin{app: os.Stdin}, nil
	}
	if restartable == "" {
		if !procgroup.IsControllingTerminal(os.Stdin) {
			log.Debugf("stdin is a terminal but not reload's own: the app reads it without being its foreground group")
			return appStdin{app: os.Stdin}, nil
		}
		return appStdin{app: os.Stdin, foreground: true}, nil
	}
	r, w, err := os.Pipe()
	if err != nil {
		return appStdin{}, err
	}
	// The reading goroutine blocks in a terminal read that cannot be
	// interrupted portably; it ends with the process. Closing w makes the
	// app see end of input if reload ever stops reading.
	go func() {
		defer w.Close()
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			line := sc.Text()
			if strings.TrimSpace(line) == restartable {
				select {
				case restart <- trigger.Trigger{Reason: restartable}:
				case <-ctx.Done():
					return
				}
				continue
			}
			if _, err := w.Write([]byte(line + "\n")); err != nil {
				log.Debugf("stdin: the app's input pipe is closed: %v", err)
				return
			}
		}
	}()
	return appStdin{app: r, closer: func() { r.Close() }}, nil
}
