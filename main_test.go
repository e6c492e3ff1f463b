package main

import (
	"bytes"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/reload-dev/reload/config"
	"github.com/reload-dev/reload/internal/procgroup"
)

// TestMain lets this test binary serve as reload's watchdog, as the real
// binary does: run() starts os.Executable() as one.
func TestMain(m *testing.M) {
	if procgroup.RunWatchdog() {
		return
	}
	os.Exit(m.Run())
}

// mainOwn are the flags that set no key, tested with what they do.
var mainOwn = map[string]bool{"config": true, "cwd": true, "dump": true, "no-color": true, "spawn": true, "no-update-notifier": true}

// TestApplyFlags runs every flag the keys table makes through the real
// command line onto a config, as main does after loading the file.
func TestApplyFlags(t *testing.T) {
	base := func() config.Config {
		c := config.Default()
		c.Ignore = []string{"from-file"}
		c.Env = map[string]string{"KEEP": "1", "A": "file"}
		c.OnCrash = true
		return c
	}
	d := time.Second
	tests := []struct {
		name    string
		args    []string
		want    func(c *config.Config)
		wantErr string
	}{
		{"nothing set", nil, func(*config.Config) {}, ""},
		{"values", []string{"-x", "npm start", "-b", "make", "-w", "src", "-w", "lib", "-e", "js,.JSON", "-e", "ts",
			"-i", "a/**", "-d", "1s", "--on-crash=false", "--on-exit", "-s", "hup", "--stop-timeout", "2s", "--backoff-max", "3s",
			"--max-crashes", "4", "--env", "A=1", "--env", "B=x=y", "--clear", "-L", "--poll", "--restartable", "r",
			"--on-change-only", "--exitcrash",
			"--proxy", "8080:3000", "--proxy-wait", "4s"},
			func(c *config.Config) {
				c.Cmd = config.Command{Shell: "npm start"}
				c.Build = "make"
				c.Watch = []string{"src", "lib"}
				c.Ext = config.List{"js", "json", "ts"}
				c.Ignore = []string{"from-file", "a/**"} // added to the file's
				c.Delay.Duration = d
				c.OnCrash, c.OnExit = false, true
				c.Signal = "hup" // Validate spells it
				c.StopTimeout.Duration, c.Backoff.Max.Duration, c.Backoff.MaxCrashes = 2*d, 3*d, 4
				c.Env = map[string]string{"KEEP": "1", "A": "1", "B": "x=y"}
				c.Clear = true
				c.Poll.Duration = config.DefaultPoll
				c.Restartable = "r"
				c.OnChangeOnly, c.ExitOnCrash = true, true
				c.Proxy.Listen, c.Proxy.Target, c.Proxy.Wait.Duration = "8080", "3000", 4*d
			}, ""},
		{"switches", []string{"--no-gitignore", "--no-watch", "--no-stdin", "--no-live-reload", "-q"},
			func(c *config.Config) {
				c.Gitignore, c.OnChange, c.Restartable, c.Proxy.LiveReload, c.Log = false, false, "", false, config.LogQuiet
			}, ""},
		{"events", []string{"--events", "ev.jsonl"}, func(c *config.Config) { c.Events = "ev.jsonl" }, ""},
		{"hooks", []string{"--hook", "crash=notify-send 'a=b, c'", "--hook", "exit="},
			func(c *config.Config) { c.Hooks = map[string]string{"crash": "notify-send 'a=b, c'", "exit": ""} }, ""},
		{"warm", []string{"--warm"}, func(c *config.Config) { c.Warm = true }, ""},
		{"allowed hosts", []string{"--proxy-allowed-host", "myapp.test", "--proxy-allowed-host", ".dev.test"},
			func(c *config.Config) { c.Proxy.AllowedHosts = []string{"myapp.test", ".dev.test"} }, ""},
		{"--no-stdin beats --restartable", []string{"--restartable", "r", "--no-stdin"}, func(c *config.Config) { c.Restartable = "" }, ""},
		{"nodemon's spellings", []string{"-d", "2.5", "-e", "js json", "-I", "-V", "-C"}, func(c *config.Config) {
			c.Delay.Duration, c.Ext, c.Restartable, c.Log, c.OnChangeOnly = 2500*time.Millisecond, config.List{"js", "json"}, "", config.LogVerbose, true
		}, ""},
		{"--poll 1000 is milliseconds", []string{"--poll", "1000"}, func(c *config.Config) { c.Poll.Duration = d }, ""},
		{"-P wins over -L", []string{"-P", "250", "-L"}, func(c *config.Config) { c.Poll.Duration = 250 * time.Millisecond }, ""},
		{"--polling-interval", []string{"--polling-interval", "2s"}, func(c *config.Config) { c.Poll.Duration = 2 * d }, ""},
		{"a switch set to false does nothing", []string{"--no-watch=false", "--verbose"}, func(c *config.Config) { c.Log = config.LogVerbose }, ""},
		{"quiet and verbose", []string{"-q", "-v"}, nil, "--quiet and --verbose contradict each other; pick one"},
		{"bad env", []string{"--env", "NOVALUE"}, nil, `flag --env: "NOVALUE" is not K=V; write it like --env PORT=3000`},
		{"bad hook", []string{"--hook", "crash"}, nil, `flag --hook: "crash" is not NAME=COMMAND; write it like --hook crash=`},
		{"bad duration", []string{"--stop-timeout", "100"}, nil, `flag --stop-timeout: "100" has no unit; write "100s" (or "100ms")`},
		{"bad proxy", []string{"--proxy", "nope"}, nil, "flag --proxy: "},
	}
	used := map[string]bool{}
	for _, tc := range tests {
		for _, a := range tc.args {
			name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
			used[name] = strings.HasPrefix(a, "-")
		}
		var got config.Config
		var err error
		app := newApp(io.Discard)
		app.Action = func(c *cli.Context) error {
			got = base()
			err = applyFlags(c, &got)
			return nil
		}
		cl, rerr := splitArgs(append([]string{"reload"}, tc.args...), specOf(app.Flags))
		if rerr == nil {
			rerr = app.Run(cl.args)
		}
		if rerr != nil {
			t.Fatalf("%s: %v", tc.name, rerr)
		}
		if tc.wantErr != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
				t.Errorf("%s: error %v; want %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		want := base()
		tc.want(&want)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: error %v\ngot  %+v\nwant %+v", tc.name, err, got, want)
		}
	}
	for _, f := range flags() {
		n := f.Names()
		if !slices.ContainsFunc(n, func(n string) bool { return used[n] }) && !mainOwn[n[0]] {
			t.Errorf("flag --%s is not tested", n[0])
		}
	}
}

// TestRunExitStatus: the app's status comes back through cli.Exit with no
// message, so run prints no "reload:" line for it; usage errors are 2.
func TestRunExitStatus(t *testing.T) {
	var stderr bytes.Buffer
	if st := run([]string{"reload", "-q", "--no-watch", "--", "sh", "-c", "exit 3"}, &stderr); st != 3 {
		t.Errorf("app exit 3: run = %d (%s)", st, stderr.String())
	}
	if strings.Contains(stderr.String(), "reload:") {
		t.Errorf("an exit status of the app printed an error line:\n%s", stderr.String())
	}
	stderr.Reset()
	if st := run([]string{"reload", "--stop-timeout", "1", "--", "true"}, &stderr); st != 2 || !strings.HasPrefix(stderr.String(), "reload: flag --stop-timeout:") {
		t.Errorf("bad flag: run = %d, %q", st, stderr.String())
	}
}
