//go:build linux

package e2e

import (
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY returns a new pseudo-terminal's controller and terminal ends.
func openPTY(t *testing.T) (ctl, tty *os.File) {
	t.Helper()
	ctl, tty = openQuietPTY(t)
	go func() { _, _ = io.Copy(io.Discard, ctl) }() // the terminal's echo must not fill up
	return ctl, tty
}

// openQuietPTY is openPTY without a reader of the controller, so that
// closing ctl really closes it (a pending Read would hold it open): the
// terminal then hangs up.
func openQuietPTY(t *testing.T) (ctl, tty *os.File) {
	t.Helper()
	ctl, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(ctl.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(ctl.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close(); ctl.Close() })
	return ctl, tty
}

// echoApp answers every line of its stdin.
const echoApp = `echo "ready pid=$$ restarts=$RELOAD_RESTARTS"
while read line; do echo "got=$line"; done
exec sleep 1000
`

func TestRestartableLine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", echoApp)
	ctl, tty := openPTY(t)
	p := startReloadIn(t, launch{dir: dir, stdin: tty}, "app.sh")
	p.ready()
	if _, err := ctl.Write([]byte("hello\n")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, p.out, "got=hello") // other lines go to the app
	if _, err := ctl.Write([]byte("rs\n")); err != nil {
		t.Fatal(err)
	}
	if got := p.ready()["restarts"]; got != "1" {
		t.Fatalf("rs: want restarts=1, got %s", got)
	}
	if _, err := ctl.Write([]byte("again\n")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, p.out, "got=again") // the new app reads the same input
}

func TestNoStdinGivesTheAppTheTerminal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", echoApp)
	ctl, tty := openPTY(t)
	// reload leads a session whose controlling terminal is tty, as in a shell.
	p := startReloadIn(t, launch{dir: dir, stdin: tty, setsid: true}, "--no-stdin", "app.sh")
	p.ready()
	if _, err := ctl.Write([]byte("rs\n")); err != nil {
		t.Fatal(err)
	}
	// The app, in the terminal's foreground group, reads the line itself
	// (a background group would be stopped by SIGTTIN instead).
	waitFor(t, p.out, "got=rs")
}

// TestNoStdinOnAnotherTerminal: stdin is a terminal, but not reload's
// controlling one (reload under setsid, some IDE consoles and CI runners).
// The app cannot become its foreground group; it must start all the same,
// reading the terminal as it is.
func TestNoStdinOnAnotherTerminal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "app.sh", readyApp)
	_, tty := openPTY(t)
	p := startReloadIn(t, launch{dir: dir, stdin: tty}, "--no-stdin", "app.sh")
	if got := p.ready()["restarts"]; got != "0" {
		t.Fatalf("want the first start, got restarts=%s", got)
	}
}
