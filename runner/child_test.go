//go:build unix

package runner

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/reload-dev/reload/internal/procgroup"
	"github.com/reload-dev/reload/internal/status"
)

// The test binary is also the app: RUNNER_TEST_CHILD picks the part it plays.
const childEnv = "RUNNER_TEST_CHILD"

// extraModes holds child modes defined by OS-specific test files.
var extraModes = map[string]func() int{}

// testReaper is what main would hand Run: the test process is a child
// subreaper, as reload is, from before the first test (and only here, not
// in its children, which play apps).
var testReaper *procgroup.Reaper

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(child(mode))
	}
	testReaper = procgroup.NewReaper(status.Discard())
	os.Exit(m.Run())
}

// child runs a test process. Every one announces itself on stdout after
// its signal handling is in place.
//
//	app      ready pid=N restarts=R changed=C; CHILD_ON_TERM: "" (die), ignore,
//	         slow (say "term", exit 300ms later), report-ignore (say "term", stay);
//	         CHILD_SPAWN: group, setsid, double-fork; CHILD_EXIT: exit with it
//	sleeper  grandchild pid=N; ignores SIGTERM with CHILD_GRANDCHILD_TERM=ignore;
//	         with CHILD_SLEEPER_ORPHAN_EXIT it exits once reparented
//	middle   starts a setsid'd sleeper and exits, leaving it an orphan
//
// Modes from OS-specific test files are in extraModes.
func child(mode string) int {
	pid := os.Getpid()
	switch mode {
	case "app":
		switch os.Getenv("CHILD_ON_TERM") {
		case "ignore":
			signal.Ignore(syscall.SIGTERM)
		case "slow", "report-ignore":
			c := make(chan os.Signal, 1)
			signal.Notify(c, syscall.SIGTERM)
			go func() {
				<-c
				fmt.Printf("term pid=%d\n", pid)
				if os.Getenv("CHILD_ON_TERM") == "slow" {
					time.Sleep(300 * time.Millisecond)
					os.Exit(0)
				}
			}()
		}
		switch spawn := os.Getenv("CHILD_SPAWN"); spawn {
		case "group", "setsid":
			if err := spawnChild("sleeper", spawn == "setsid", false); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 99
			}
		case "double-fork":
			if err := spawnChild("middle", false, true); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 99
			}
		}
		fmt.Printf("ready pid=%d restarts=%s changed=%s\n", pid, os.Getenv("RELOAD_RESTARTS"), os.Getenv("RELOAD_CHANGED"))
		if code := os.Getenv("CHILD_EXIT"); code != "" {
			n, _ := strconv.Atoi(code)
			return n
		}
	case "sleeper":
		if os.Getenv("CHILD_GRANDCHILD_TERM") == "ignore" {
			signal.Ignore(syscall.SIGTERM)
		}
		if os.Getenv("CHILD_SLEEPER_ORPHAN_EXIT") != "" {
			parent := os.Getppid() // read while the parent surely waits on fd 3
			os.NewFile(3, "announced").Close()
			for os.Getppid() == parent {
				time.Sleep(time.Millisecond)
			}
			fmt.Printf("grandchild pid=%d orphaned\n", pid)
			return 0
		}
		fmt.Printf("grandchild pid=%d\n", pid)
		os.NewFile(3, "announced").Close() // tells the app it may go on
	case "middle":
		if err := spawnChild("sleeper", true, false); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 99
		}
		return 0
	default:
		if f, ok := extraModes[mode]; ok {
			return f()
		}
		fmt.Fprintf(os.Stderr, "unknown %s %q\n", childEnv, mode)
		return 99
	}
	for {
		time.Sleep(time.Hour)
	}
}

// spawnChild starts the test binary in mode, sharing stdout. wait says
// whether to wait for it; otherwise it is left running, as an app would,
// once it has announced itself (so its line comes before the app's).
func spawnChild(mode string, setsid, wait bool) error {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childEnv+"="+mode)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: setsid}
	if wait {
		return cmd.Run()
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	defer pr.Close()
	cmd.ExtraFiles = []*os.File{pw} // the child's fd 3: closed once it announced itself
	err = cmd.Start()
	pw.Close()
	if err != nil {
		return err
	}
	_, _ = pr.Read(make([]byte, 1)) // EOF once the child closed fd 3
	return nil
}
